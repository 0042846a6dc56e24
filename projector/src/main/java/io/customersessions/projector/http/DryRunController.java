package io.customersessions.projector.http;

import io.customersessions.eventlog.config.LogSettings;
import io.customersessions.eventlog.internal.AvroBinary;
import io.customersessions.eventlog.internal.RegisteredAvro;
import io.customersessions.eventlog.serde.SchemaRegistryException;
import io.customersessions.api.RejectionResponses;
import io.customersessions.api.auth.Caller;
import io.customersessions.api.model.ErrorResponse;
import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.SessionCommand;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.query.DryRun;
import io.customersessions.projector.routing.QueryRouter;
import io.customersessions.projector.streams.Generation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Internal, for the session-service's {@code dry=true}: the processor's decision for a command against the current
 * state, appending and storing nothing. Body and answer are in the schema registry's wire format ({@link
 * RegisteredAvro}), so a session-service of another schema version is understood, or, from a session-service of an
 * earlier version, plain Avro binary ({@link AvroBinary}), answered in kind; errors are Talon.One-shaped JSON. The
 * command must be for the application of the caller's Integration API key (the session-service forwards its client's
 * Authorization header). Decided by the instance that owns the session ({@link QueryRouter#byKey}): its stores hold the
 * session's state and remembered outcomes.
 *
 * <p>A views generation holds no decision stores (Idempotency-Keys, profile claims), so it cannot decide a dry run
 * the way the processor would: it answers 503 naming the reason, without Retry-After, since it never will. (Checked
 * here rather than by a filter on this path, whose pattern Micronaut would match against every request to every
 * endpoint.)
 */
@Controller("/internal/v1/decide")
public class DryRunController {

    public static final String COMMAND_TYPE = AvroBinary.COMMAND_TYPE;
    public static final String OUTCOME_TYPE = AvroBinary.OUTCOME_TYPE;
    public static final String REGISTERED_COMMAND_TYPE = RegisteredAvro.COMMAND_TYPE;
    public static final String REGISTERED_OUTCOME_TYPE = RegisteredAvro.OUTCOME_TYPE;
    private static final MediaType REGISTERED_COMMAND = MediaType.of(REGISTERED_COMMAND_TYPE);

    private final DryRun dryRun;
    private final QueryRouter router;
    private final Generation generation;
    private final RegisteredAvro registered;

    public DryRunController(DryRun dryRun, QueryRouter router, Generation generation, LogSettings log) {
        this.dryRun = dryRun;
        this.router = router;
        this.generation = generation;
        this.registered = RegisteredAvro.of(log);
    }

    @Post
    @Consumes({REGISTERED_COMMAND_TYPE, COMMAND_TYPE})
    @Produces({REGISTERED_OUTCOME_TYPE, OUTCOME_TYPE})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> decide(@Body byte[] body, @Nullable @RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                  HttpRequest<?> request) {
        Optional<Long> applicationId = CallerAccess.integrationApplication(caller);
        if (applicationId.isEmpty()) {
            return json(CallerAccess.integrationKeyRequired());
        }
        if (generation.role() == Generation.Role.VIEWS) {
            return json(HttpResponse.<ErrorResponse>status(HttpStatus.SERVICE_UNAVAILABLE).body(ErrorResponse.of(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Service Unavailable: this projector serves read-only views and cannot run dry runs",
                    List.of(new ErrorResponse.Error("service unavailable", "a dry run needs the command processor's "
                            + "decision stores; send it to the projector in the processor role", null)))));
        }
        boolean inWireFormat = request.getContentType().filter(REGISTERED_COMMAND::matches).isPresent();
        SessionCommand command;
        try {
            command = inWireFormat ? registered.readCommand(body) : AvroBinary.read(body, SessionCommand.class);
        } catch (KafkaException e) {
            return unreadable(e);
        } catch (IOException e) {
            return json(RejectionResponses.response(Rejection.of(Rejection.Reason.INVALID_INPUT,
                    "the body is not an Avro-binary SessionCommand: " + e.getMessage())));
        }
        if (command.getApplicationId() != applicationId.get()) {
            return json(HttpResponse.<ErrorResponse>status(HttpStatus.FORBIDDEN).body(ErrorResponse.of(
                    HttpStatus.FORBIDDEN, "Forbidden: the command is for another application",
                    List.of(new ErrorResponse.Error("forbidden", "the key belongs to application "
                            + applicationId.get() + ", the command names application " + command.getApplicationId(),
                            null)))));
        }
        SessionKey key = new SessionKey(command.getApplicationId(), command.getIntegrationId());
        return router.byKey(Topics.SESSION_STORE, key, request, body, () -> {
            CommandOutcome outcome = dryRun.decide(command);
            if (!inWireFormat) {
                return HttpResponse.ok(AvroBinary.write(outcome)).contentType(OUTCOME_TYPE);
            }
            try {
                return HttpResponse.ok(registered.writeOutcome(outcome)).contentType(REGISTERED_OUTCOME_TYPE);
            } catch (KafkaException e) {
                return RegisteredAvro.registryUnavailable(e) ? registryUnavailable(e)
                        : internalError("the outcome could not be written in the registry's wire format", e);
            }
        });
    }

    /**
     * A body in the wire format that could not be read: the registry did not answer or failed (503 with
     * Retry-After), refused this projector (credentials: 500), or the body is at fault (not in the format, a schema
     * id the registry does not have, not a command: 400).
     */
    private static HttpResponse<?> unreadable(KafkaException e) {
        if (RegisteredAvro.registryUnavailable(e)) {
            return registryUnavailable(e);
        }
        if (e instanceof SchemaRegistryException && !RegisteredAvro.unknownSchema(e)) {
            return internalError("the schema registry refused this projector", e);
        }
        return json(RejectionResponses.response(Rejection.of(Rejection.Reason.INVALID_INPUT,
                "the body is not a SessionCommand in the registry's wire format: " + e.getMessage())));
    }

    private static HttpResponse<?> internalError(String message, KafkaException e) {
        return json(HttpResponse.<ErrorResponse>status(HttpStatus.INTERNAL_SERVER_ERROR).body(ErrorResponse.of(
                HttpStatus.INTERNAL_SERVER_ERROR, "Internal Server Error: " + message,
                List.of(new ErrorResponse.Error("internal server error", e.getMessage(), null)))));
    }

    private static HttpResponse<?> registryUnavailable(KafkaException e) {
        return json(RejectionResponses.serviceUnavailable("the schema registry is not available right now; retry "
                + "shortly", e.getMessage()));
    }

    private static HttpResponse<?> json(HttpResponse<ErrorResponse> error) {
        return error.toMutableResponse().contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
