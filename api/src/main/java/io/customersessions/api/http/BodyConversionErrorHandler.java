package io.customersessions.api.http;

import io.customersessions.api.JsonPointers;
import io.customersessions.api.model.ErrorResponse;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.config.annotation.SerdeConfig;
import io.micronaut.serde.exceptions.SerdeException;
import io.micronaut.serde.exceptions.path.CollectionItemReferencePath;
import io.micronaut.serde.exceptions.path.MapItemReferencePath;
import io.micronaut.serde.exceptions.path.PropertyReferencePath;
import io.micronaut.serde.exceptions.path.ReferencePath;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * A value of the wrong type, e.g. {@code "quantity": "abc"} → 400 whose pointer names the field
 * ({@code /customerSession/cartItems/0/quantity}), taken from the path Micronaut serde records in its
 * exception. A syntax error inside a nested value arrives here too and is reported as invalid JSON at
 * the value that contains it. A header, path or query value that does not convert names the parameter
 * instead.
 */
@Singleton
@Produces
@Replaces(ConversionErrorHandler.class)
public final class BodyConversionErrorHandler
        implements ExceptionHandler<ConversionErrorException, HttpResponse<ErrorResponse>> {

    @Override
    public HttpResponse<ErrorResponse> handle(HttpRequest request, ConversionErrorException exception) {
        Throwable root = rootCause(exception);
        Argument<?> argument = exception.getArgument();
        if (!argument.getAnnotationMetadata().hasAnnotation(Body.class)) {
            String name = BadRequests.parameterName(argument);
            return BadRequests.of("A parameter has an invalid value", "invalid " + name,
                    "'" + name + "' must be " + expected(argument) + "; " + BadRequests.parserMessage(root),
                    ErrorResponse.Source.parameter(name));
        }
        List<ReferencePath> path = path(exception, root);
        String pointer = pointer(path);
        if (!(root instanceof SerdeException)) {
            // the parser itself failed inside a nested value: a syntax error, not a type error
            return BadRequests.of("The request body is not valid JSON", "invalid JSON",
                    BadRequests.parserMessage(root), ErrorResponse.Source.pointer(pointer));
        }
        String expected = expected(path.isEmpty() ? argument : valueArgument(path.get(0)));
        return BadRequests.of("The request body has a value of the wrong type", "invalid value",
                (pointer.isEmpty() ? "the body" : pointer) + " must be " + expected + "; "
                        + BadRequests.parserMessage(root),
                ErrorResponse.Source.pointer(pointer));
    }

    /**
     * Micronaut serde records the path innermost first. A list that is not an array at all is recorded as
     * if its element 0 had failed; the parser's "expected START_ARRAY" tells that case apart.
     */
    private static List<ReferencePath> path(ConversionErrorException exception, Throwable root) {
        List<ReferencePath> path = outermostSerdeException(exception).map(SerdeException::getPath).orElse(List.of());
        boolean notAnArray = String.valueOf(root.getMessage()).contains("expected START_ARRAY");
        return notAnArray && !path.isEmpty() && path.get(0) instanceof CollectionItemReferencePath
                ? path.subList(1, path.size())
                : path;
    }

    /** The outermost one carries the whole path; each enclosing level adds one element. */
    private static Optional<SerdeException> outermostSerdeException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SerdeException serde) {
                return Optional.of(serde);
            }
        }
        return Optional.empty();
    }

    private static String pointer(List<ReferencePath> path) {
        StringBuilder pointer = new StringBuilder();
        for (int i = path.size() - 1; i >= 0; i--) {
            ReferencePath step = path.get(i);
            if (step instanceof PropertyReferencePath property) {
                pointer.append(JsonPointers.segment(jsonName(property.property())));
            } else if (step instanceof CollectionItemReferencePath item) {
                pointer.append('/').append(item.index());
            } else if (step instanceof MapItemReferencePath entry) {
                pointer.append(JsonPointers.segment(entry.key()));
            }
        }
        return pointer.toString();
    }

    /** The name the client wrote: a record component's {@code @JsonProperty} name when it has one. */
    private static String jsonName(Argument<?> property) {
        return property.getAnnotationMetadata().stringValue(SerdeConfig.class, SerdeConfig.PROPERTY)
                .orElse(property.getName());
    }

    /** The type of the value the innermost step reached: an element's or an entry's, not its container's. */
    private static Argument<?> valueArgument(ReferencePath step) {
        Argument<?>[] parameters = step.getArgument().getTypeParameters();
        if (step instanceof CollectionItemReferencePath && parameters.length == 1) {
            return parameters[0];
        }
        if (step instanceof MapItemReferencePath && parameters.length == 2) {
            return parameters[1];
        }
        return step.getArgument();
    }

    private static String expected(Argument<?> argument) {
        Class<?> type = argument.getType();
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Iterable.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == JsonNode.class) {
            return "a JSON value";
        }
        return "an object";
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
