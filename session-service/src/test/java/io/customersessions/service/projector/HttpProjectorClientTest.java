package io.customersessions.service.projector;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.customersessions.avro.CommandOutcome;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.Decision;
import io.customersessions.domain.DecisionContext;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionDecider;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.serde.AvroSerdes;
import io.customersessions.service.commands.CommandResult;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The real client against a stand-in projector (a plain JDK HTTP server): the wire format both sides agreed on. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpProjectorClientTest implements TestPropertyProvider {

    private static final SessionKey KEY = new SessionKey(42, "s-1");
    private static final String AUTHORIZATION = "ApiKey-v1 test-integration-key";
    private static final String REGISTRY = "mock://http-projector-client-test";
    /** The stand-in projector's serde, on the client's registry. */
    private static final Serde<Object> WIRE = AvroSerdes.ours(Map.of("schema.registry.url", REGISTRY));

    /** What the stand-in projector saw. */
    private record Seen(String method, String rawPath, String contentType, String accept, String authorization,
                        byte[] body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile int status;
    private volatile String contentType;
    private volatile byte[] answer;
    private HttpServer projector;

    @Inject
    HttpProjectorClient client;

    @Override
    public Map<String, String> getProperties() {
        try {
            projector = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        projector.createContext("/", this::answer);
        projector.start();
        return Map.of("customer-sessions.projector.url", "http://localhost:" + projector.getAddress().getPort(),
                "customer-sessions.schema-registry.url", REGISTRY);
    }

    private void answer(HttpExchange exchange) throws IOException {
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("Accept"),
                exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestBody().readAllBytes()));
        exchange.getResponseHeaders().add("Content-Type", contentType);
        if (status == 503) {
            exchange.getResponseHeaders().add("Retry-After", "1");
        }
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @AfterAll
    void stopProjector() {
        projector.stop(0);
    }

    @BeforeEach
    void reset() {
        seen.clear();
    }

    private void projectorAnswers(int status, String contentType, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.answer = body;
    }

    private static SessionCommand.UpsertSession create() {
        return new SessionCommand.UpsertSession("cmd-1", KEY, Instant.parse("2026-11-22T10:15:30.123Z"), null,
                Optional.empty(), SessionChanges.NONE.withProfileId("c-1"));
    }

    private static CommandOutcome outcome(SessionCommand command) {
        Decision.Accepted accepted = (Decision.Accepted) SessionDecider.decide(Optional.empty(), command,
                DecisionContext.of(7));
        CustomerSession after = SessionDecider.evolve(Optional.empty(), accepted.events().get(0));
        return AvroCodec.acceptedOutcome(command.commandId(), command.key(), accepted.events(), after);
    }

    /** The outcome as the projector answers it: in the registry's wire format. */
    private static byte[] outcomeOf(SessionCommand command) {
        return WIRE.serializer().serialize("outcomes", outcome(command));
    }

    @Test
    void a_dry_run_posts_the_avro_command_with_the_callers_key_and_reads_the_avro_outcome() throws Exception {
        // given
        SessionCommand.UpsertSession command = create();
        projectorAnswers(200, "application/vnd.customer-sessions.outcome.registered+avro", outcomeOf(command));

        // when
        CommandResult result = client.decide(command, AUTHORIZATION).join();

        // then
        Seen request = seen.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/internal/v1/decide");
        assertThat(request.contentType()).isEqualTo("application/vnd.customer-sessions.command.registered+avro");
        assertThat(request.accept()).isEqualTo("application/vnd.customer-sessions.outcome.registered+avro");
        assertThat(request.authorization()).isEqualTo(AUTHORIZATION);
        Object sent = WIRE.deserializer().deserialize("commands", request.body());
        assertThat(AvroCodec.fromAvro((io.customersessions.avro.SessionCommand) sent)).isEqualTo(command);
        assertThat(result).isInstanceOfSatisfying(CommandResult.Accepted.class, accepted -> {
            assertThat(accepted.session().key()).isEqualTo(KEY);
            assertThat(accepted.session().profileId()).isEqualTo("c-1");
            assertThat(accepted.eventTypes()).containsExactly("talon_session_created");
        });
    }

    @Test
    void a_dry_run_the_projector_refuses_carries_its_answer() {
        // given
        projectorAnswers(401, "application/json",
                "{\"message\": \"Unauthorized: the key is not valid\"}".getBytes(StandardCharsets.UTF_8));

        // when
        Throwable failure = catchThrowable(() -> client.decide(create(), AUTHORIZATION).join());

        // then
        assertThat(failure).isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(ProjectorRefusedException.class, refused -> {
                    assertThat(refused.answer().status()).isEqualTo(401);
                    assertThat(new String(refused.answer().body(), StandardCharsets.UTF_8)).contains("not valid");
                });
    }

    @Test
    void a_dry_run_command_the_projector_cannot_read_is_unavailability_not_the_clients_400() {
        // given: a projector of another schema version, during a rolling upgrade
        projectorAnswers(400, "application/json", ("{\"message\": \"the body is not an Avro-binary "
                + "SessionCommand: EOF\"}").getBytes(StandardCharsets.UTF_8));

        // when
        Throwable failure = catchThrowable(() -> client.decide(create(), AUTHORIZATION).join());

        // then
        assertThat(failure).cause().isInstanceOf(ProjectorUnavailableException.class)
                .hasMessageContaining("could not read");
    }

    @Test
    void a_projector_of_an_earlier_version_that_does_not_take_the_wire_format_is_unavailability() {
        // given: it knows only plain Avro bodies
        projectorAnswers(415, "application/json", "{\"message\": \"Unsupported Media Type\"}"
                .getBytes(StandardCharsets.UTF_8));

        // when
        Throwable failure = catchThrowable(() -> client.decide(create(), AUTHORIZATION).join());

        // then
        assertThat(failure).cause().isInstanceOf(ProjectorUnavailableException.class)
                .hasMessageContaining("could not read");
    }

    @Test
    void an_outcome_of_a_later_schema_version_is_read_through_the_registry() {
        // given: a projector whose CommandOutcome has a field this session-service does not know
        SessionCommand.UpsertSession command = create();
        CommandOutcome outcome = outcome(command);
        List<Schema.Field> fields = new ArrayList<>();
        outcome.getSchema().getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(1, new Schema.Field("addedLater", Schema.create(Schema.Type.STRING), null, "unknown"));
        Schema later = Schema.createRecord("CommandOutcome", null, "io.customersessions.avro", false, fields);
        GenericRecord asLater;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(CommandOutcome.class).write(outcome, encoder);
            encoder.flush();
            asLater = new GenericDatumReader<GenericRecord>(outcome.getSchema(), later)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        projectorAnswers(200, "application/vnd.customer-sessions.outcome.registered+avro",
                WIRE.serializer().serialize("outcomes-of-a-later-version", asLater));

        // when
        CommandResult result = client.decide(command, AUTHORIZATION).join();

        // then
        assertThat(result).isInstanceOfSatisfying(CommandResult.Accepted.class,
                accepted -> assertThat(accepted.session().profileId()).isEqualTo("c-1"));
    }

    @Test
    void a_dry_run_answer_that_is_not_an_outcome_is_unavailability() {
        // given
        projectorAnswers(200, "application/vnd.customer-sessions.outcome.registered+avro", new byte[] {1, 2, 3});

        // when
        Throwable failure = catchThrowable(() -> client.decide(create(), AUTHORIZATION).join());

        // then
        assertThat(failure).cause().isInstanceOf(ProjectorUnavailableException.class);
    }

    @Test
    void a_read_relays_status_body_and_headers_and_encodes_the_session_id() {
        // given
        projectorAnswers(200, "application/json", "{\"customerSession\": {}}".getBytes(StandardCharsets.UTF_8));

        // when
        RelayedResponse found = client.session("a b/c", AUTHORIZATION).join();
        projectorAnswers(404, "application/json", "{\"message\": \"no customer session\"}".getBytes(StandardCharsets.UTF_8));
        RelayedResponse missing = client.session("s-2", AUTHORIZATION).join();
        projectorAnswers(503, "application/json", "{\"message\": \"rebalancing\"}".getBytes(StandardCharsets.UTF_8));
        RelayedResponse rebalancing = client.session("s-2", AUTHORIZATION).join();

        // then
        assertThat(seen.get(0).method()).isEqualTo("GET");
        assertThat(seen.get(0).rawPath()).isEqualTo("/v2/customer_sessions/a%20b%2Fc");
        assertThat(seen.get(0).authorization()).isEqualTo(AUTHORIZATION);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.contentType()).isEqualTo("application/json");
        assertThat(new String(found.body(), StandardCharsets.UTF_8)).isEqualTo("{\"customerSession\": {}}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("no customer session");
        assertThat(rebalancing.status()).isEqualTo(503);
        assertThat(rebalancing.retryAfter()).isEqualTo("1");
    }
}
