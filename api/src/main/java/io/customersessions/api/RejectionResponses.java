package io.customersessions.api;

import io.customersessions.api.model.ErrorResponse;
import io.customersessions.domain.Rejection;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

import java.util.List;

/** The one place where a {@link Rejection} becomes an HTTP status and Talon.One's error body. */
public final class RejectionResponses {

    private static final String INVALID_REQUEST = "The request is invalid";

    private RejectionResponses() {
    }

    public static HttpStatus status(Rejection.Reason reason) {
        return switch (reason) {
            case INVALID_INPUT -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN_TRANSITION -> HttpStatus.CONFLICT;
            case VERSION_MISMATCH -> HttpStatus.PRECONDITION_FAILED;
            case IDEMPOTENCY_KEY_REUSED -> HttpStatus.UNPROCESSABLE_ENTITY;
        };
    }

    public static HttpResponse<ErrorResponse> response(Rejection rejection) {
        return HttpResponse.<ErrorResponse>status(status(rejection.reason())).body(body(rejection));
    }

    /** 400 for a request the adapter rejected itself, e.g. {@link Validated.Invalid#violations()}. */
    public static HttpResponse<ErrorResponse> badRequest(List<Rejection.Violation> violations) {
        return response(new Rejection(Rejection.Reason.INVALID_INPUT, INVALID_REQUEST, violations));
    }

    /** 400 for a header or query value the adapter rejected itself; the error names the parameter. */
    public static HttpResponse<ErrorResponse> badParameter(String parameter, String title, String details) {
        return HttpResponse.<ErrorResponse>status(HttpStatus.BAD_REQUEST)
                .body(ErrorResponse.of(HttpStatus.BAD_REQUEST, "A parameter has an invalid value",
                        List.of(new ErrorResponse.Error(title, details, ErrorResponse.Source.parameter(parameter)))));
    }

    /** 503 with Retry-After: the service cannot answer correctly right now, and a retry soon may succeed. */
    public static HttpResponse<ErrorResponse> serviceUnavailable(String message, String details) {
        return HttpResponse.<ErrorResponse>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(ErrorResponse.of(HttpStatus.SERVICE_UNAVAILABLE, message,
                        List.of(new ErrorResponse.Error("service unavailable", details, null))));
    }

    /**
     * 401: the request has no valid key for the endpoint. {@code challenge} becomes {@code WWW-Authenticate}
     * (the schemes the endpoint accepts); the error points at the {@code Authorization} header.
     */
    public static HttpResponse<ErrorResponse> unauthorized(String message, String details, String challenge) {
        return HttpResponse.<ErrorResponse>status(HttpStatus.UNAUTHORIZED)
                .header("WWW-Authenticate", challenge)
                .body(ErrorResponse.of(HttpStatus.UNAUTHORIZED, message, List.of(new ErrorResponse.Error(
                        "unauthorized", details, ErrorResponse.Source.parameter("Authorization")))));
    }

    /**
     * One error per violation; a rejection without violations (not found, wrong state, wrong version, a reused
     * Idempotency-Key) gets one error that repeats its message under a title naming the reason (and, for the key,
     * naming the header as its source).
     */
    public static ErrorResponse body(Rejection rejection) {
        ErrorResponse.Source source = rejection.reason() == Rejection.Reason.IDEMPOTENCY_KEY_REUSED
                ? ErrorResponse.Source.parameter("Idempotency-Key") : null;
        List<ErrorResponse.Error> errors = rejection.violations().isEmpty()
                ? List.of(new ErrorResponse.Error(title(rejection.reason()), rejection.message(), source))
                : rejection.violations().stream()
                        .map(v -> new ErrorResponse.Error(v.title(), v.details(),
                                ErrorResponse.Source.pointer(v.pointer())))
                        .toList();
        return ErrorResponse.of(status(rejection.reason()), rejection.message(), errors);
    }

    private static String title(Rejection.Reason reason) {
        return switch (reason) {
            case INVALID_INPUT -> "invalid input";
            case NOT_FOUND -> "not found";
            case FORBIDDEN_TRANSITION -> "forbidden state transition";
            case VERSION_MISMATCH -> "version mismatch";
            case IDEMPOTENCY_KEY_REUSED -> "idempotency key reused";
        };
    }
}
