package io.customersessions.api;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The real Micronaut serde (Jackson-backed) with this module's serde beans ({@code StrictStrings}…), as both services
 * use it, for tests that read and write JSON.
 */
public final class Json {

    public static final ObjectMapper MAPPER = ObjectMapper.create(Map.of(), "io.customersessions.api");

    private Json() {
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        return read(json, JsonNode.class);
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Single quotes for readability in tests: {@code json("{'a': 1}")}. */
    public static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
