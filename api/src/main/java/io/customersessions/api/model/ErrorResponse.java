package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Talon.One's error body: {@code {"message": "...", "errors": [{"title", "details", "source": {"pointer"}}]}}.
 * {@code source.pointer} is a JSON pointer into the request body ({@code ""} is the whole body);
 * {@code source.parameter} names a header, path or query parameter instead.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ErrorResponse(String message, List<Error> errors) {

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Error(String title, String details, Source source) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String pointer, String parameter) {

        public static Source pointer(String pointer) {
            return new Source(pointer, null);
        }

        public static Source parameter(String parameter) {
            return new Source(null, parameter);
        }
    }
}
