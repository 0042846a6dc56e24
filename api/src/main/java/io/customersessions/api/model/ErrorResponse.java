package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Talon.One's error body ({@code ErrorResponseWithStatus}): {@code {"message": "...", "errors": [{"title",
 * "details", "source": {"pointer"}}], "StatusCode": 400}}. {@code source.pointer} is a JSON pointer into the
 * request body ({@code ""} is the whole body); {@code source.parameter} names a header, path or query parameter
 * instead. {@code StatusCode} repeats the response's HTTP status, for clients that log only the body.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ErrorResponse(String message, List<Error> errors, @JsonProperty("StatusCode") int statusCode) {

    public static ErrorResponse of(HttpStatus status, String message, List<Error> errors) {
        return new ErrorResponse(message, errors, status.getCode());
    }

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
