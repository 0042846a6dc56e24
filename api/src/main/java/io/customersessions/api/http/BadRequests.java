package io.customersessions.api.http;

import io.customersessions.api.model.ErrorResponse;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.CookieValue;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Talon.One-shaped 400s for requests that never reach a mapper, and the message clean-up they share. */
final class BadRequests {

    private static final Pattern LOCATION = Pattern.compile("\\s*at \\[Source: .*?line: (\\d+), column: (\\d+)]",
            Pattern.DOTALL);

    private BadRequests() {
    }

    static HttpResponse<ErrorResponse> of(String message, String title, String details, ErrorResponse.Source source) {
        return HttpResponse.<ErrorResponse>status(HttpStatus.BAD_REQUEST)
                .body(ErrorResponse.of(HttpStatus.BAD_REQUEST, message,
                        List.of(new ErrorResponse.Error(title, details, source))));
    }

    /** The name the client used: the header, query, path or cookie name when the annotation gives one. */
    static String parameterName(Argument<?> argument) {
        AnnotationMetadata metadata = argument.getAnnotationMetadata();
        for (Class<? extends Annotation> binding
                : List.of(Header.class, QueryValue.class, PathVariable.class, CookieValue.class)) {
            String name = metadata.stringValue(binding).orElse("");
            if (!name.isEmpty()) {
                return name;
            }
        }
        return argument.getName();
    }

    /**
     * The parser's own words without its internals: {@code "... \n at [Source: REDACTED ...; line: 1,
     * column: 20]"} becomes {@code "... (line 1, column 20)"}.
     */
    static String parserMessage(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        Matcher location = LOCATION.matcher(message);
        if (location.find()) {
            return message.substring(0, location.start()).trim()
                    + " (line " + location.group(1) + ", column " + location.group(2) + ")";
        }
        return message.trim();
    }
}
