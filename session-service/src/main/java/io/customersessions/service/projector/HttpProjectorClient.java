package io.customersessions.service.projector;

import io.customersessions.api.internal.ProfileSessions;
import io.customersessions.domain.SessionCommand;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.config.LogSettings;
import io.customersessions.eventlog.internal.RegisteredAvro;
import io.customersessions.service.commands.CommandResult;
import io.customersessions.service.commands.Outcomes;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@link ProjectorClient} over HTTP, to {@code customer-sessions.projector.url}. A dry run sends the command and reads
 * its 200 answer, the outcome, in the schema registry's wire format ({@link RegisteredAvro}), so a projector of another
 * schema version reads it as it reads the commands topic; any other answer (a key the projector does not accept, a
 * command for another application) fails with {@link ProjectorRefusedException}, which carries the answer so the client
 * sees what the projector said.
 */
@Singleton
public class HttpProjectorClient implements ProjectorClient {

    private final ProjectorHttp http;
    private final JsonMapper json;
    private final RegisteredAvro registered;
    private final Executor blocking;

    public HttpProjectorClient(ProjectorHttp http, JsonMapper json, LogSettings log,
                               @Named(TaskExecutors.BLOCKING) Executor blocking) {
        this.http = http;
        this.json = json;
        this.registered = RegisteredAvro.of(log);
        this.blocking = blocking;
    }

    /**
     * Writing the command and reading the outcome may ask the schema registry (a schema not yet cached, for up to its
     * timeouts when it is down), so both run on the blocking executor, never on an event loop.
     */
    @Override
    public CompletableFuture<CommandResult> decide(SessionCommand command, String authorization) {
        return CompletableFuture.supplyAsync(() -> inWireFormat(command), blocking)
                .thenCompose(body -> http.decide(body, authorization).handleAsync((response, error) -> {
                    RelayedResponse answer = relayed(response != null ? response : errorResponse(error));
                    if (answer.status() == 400 || answer.status() == 415) {
                        // The command was validated here, and the projector answers its own rejections as
                        // outcomes: a 400 means it could not read the command, a 415 that it does not take this
                        // format (a projector of an earlier version, during a rolling upgrade). The client's
                        // request was fine, so it gets a 503 to retry, never a 4xx.
                        throw new ProjectorUnavailableException("the projector could not read the dry run's command "
                                + "(is it of another version?): " + new String(answer.body(),
                                StandardCharsets.UTF_8), null);
                    }
                    if (answer.status() != 200) {
                        throw new ProjectorRefusedException(answer);
                    }
                    try {
                        return Outcomes.toResult(registered.readOutcome(answer.body()));
                    } catch (KafkaException e) {
                        throw new ProjectorUnavailableException("the projector's dry-run answer could not be read as an "
                                + "outcome: " + e.getMessage(), e);
                    }
                }, blocking));
    }

    /** @throws ProjectorUnavailableException when the registry did not answer (a retry may succeed) */
    private byte[] inWireFormat(SessionCommand command) {
        try {
            return registered.writeCommand(AvroCodec.toAvro(command));
        } catch (KafkaException e) {
            if (RegisteredAvro.registryUnavailable(e)) {
                throw new ProjectorUnavailableException("the schema registry did not answer for the dry run's "
                        + "command: " + e.getMessage(), e);
            }
            throw new IllegalStateException("the dry run's command could not be written in the registry's wire "
                    + "format: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<RelayedResponse> session(String customerSessionId, String asOf, String asOfUpdateCount,
                                                      String authorization) {
        return http.session(customerSessionId, asOf, asOfUpdateCount, authorization)
                .handle((response, error) -> relayed(response != null ? response : errorResponse(error)));
    }

    @Override
    public CompletableFuture<List<String>> sessionsOfProfile(String profileId, String authorization) {
        return http.profileSessions(profileId, "former", authorization)
                .handle((response, error) -> {
                    RelayedResponse answer = relayed(response != null ? response : errorResponse(error));
                    if (answer.status() != 200) {
                        throw new ProjectorRefusedException(answer);
                    }
                    try {
                        return json.readValue(answer.body(), ProfileSessions.class).integrationIds();
                    } catch (IOException e) {
                        throw new ProjectorUnavailableException("the projector's profile sessions answer is not "
                                + "the expected JSON", e);
                    }
                });
    }

    private static RelayedResponse relayed(HttpResponse<?> answer) {
        return new RelayedResponse(answer.code(),
                answer.getContentType().map(Object::toString).orElse(null),
                answer.getBody(byte[].class).orElse(new byte[0]),
                answer.getHeaders().get(HttpHeaders.RETRY_AFTER));
    }

    /** An error status is an answer like any other; no answer at all (connection refused, timeout) is unavailability. */
    private static HttpResponse<?> errorResponse(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpClientResponseException answered) {
            return answered.getResponse();
        }
        throw new ProjectorUnavailableException("the projector is not available: " + cause.getMessage(), cause);
    }
}
