package io.customersessions.api.http;

import io.micronaut.core.type.Argument;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Text fields of a request body take a JSON string or null, nothing else. Micronaut serde would otherwise read
 * {@code 5} as {@code "5"}, {@code true} as {@code "true"} and {@code ["a"]} as {@code "a"}: a v1 client sending
 * {@code "coupon": ["a"]} would see one coupon applied and a second one refused, and a number where an id belongs
 * would be stored as its text. A value of another type fails like any other type mismatch, as a 400 whose pointer
 * names the field ({@link BodyConversionErrorHandler}). As a bean it reads every {@code String} Micronaut serde
 * decodes in both services, the answers the session-service reads from the projector included (which are ours);
 * {@link StrictStringList} does the same for {@code List<String>}, which serde reads with a shortcut of its own.
 */
@Singleton
public final class StrictStrings implements Deserializer<String> {

    @Override
    public String deserialize(Decoder decoder, DecoderContext context, Argument<? super String> type)
            throws IOException {
        JsonNode value = decoder.decodeNode();
        if (value.isString()) {
            return value.getStringValue();
        }
        throw decoder.createDeserializationException("expected a string, not " + kind(value), null);
    }

    @Override
    public String deserializeNullable(Decoder decoder, DecoderContext context, Argument<? super String> type)
            throws IOException {
        return decoder.decodeNull() ? null : deserialize(decoder, context, type);
    }

    private static String kind(JsonNode value) {
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "true or false";
        }
        if (value.isArray()) {
            return "an array";
        }
        return value.isObject() ? "an object" : "null";
    }
}
