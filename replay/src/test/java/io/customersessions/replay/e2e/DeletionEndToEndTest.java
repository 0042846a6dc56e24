package io.customersessions.replay.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.customersessions.avro.SessionEvent;
import io.customersessions.avro.SessionRedacted;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.crypto.KafkaDataKeys;
import io.customersessions.eventlog.crypto.UnsealingEventDeserializer;
import io.customersessions.eventlog.serde.AvroWireDeserializer;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.testing.SystemHttp;
import io.customersessions.launcher.testing.TestSystems;
import io.customersessions.launcher.testing.TopicReader;
import io.customersessions.replay.Replay;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.customersessions.launcher.testing.SystemHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The right to erasure on the whole system as a user runs it (a real KRaft broker, the schema registry, the projector
 * and the session-service as child processes): DELETE /v1/customer_data/{profile}, then the sessions, their history,
 * the event log itself (crypto-shredded: its copies of the personal data can no longer be read) and a replay of it. It lives with the replay tests because it runs the replay's verification, and the
 * replay module is the one that depends on the launcher (not the other way round).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeletionEndToEndTest {

    private static final Topics TOPICS = Topics.defaults();
    private static final String PROFILE = "erasure-customer";
    private static final String[] PERSONAL = {PROFILE, "alice@example.com", "Berlin", "For Alice"};
    private static final String[] OTHERS = {"other-customer", "bob@example.com", "Hamburg"};

    private final SystemHttp http = new SystemHttp();
    @AutoClose
    private EmbeddedSystem system;

    @BeforeAll
    void startSystem() {
        system = TestSystems.builder("deletion-e2e")
                .sessionServiceProperties(TestSystems.PATIENT_OUTCOMES)
                .start();
    }

    @Test
    void deleting_a_customers_data_redacts_every_session_its_history_and_replay_agrees() throws Exception {
        // given: two sessions of the profile, with personal data
        for (String id : List.of("erasure-1", "erasure-2")) {
            HttpResponse<String> created = send("PUT", "/v2/customer_sessions/" + id, """
                    {"customerSession": {"profileId": "%s", "identifiers": ["alice@example.com"],
                      "attributes": {"shippingCity": "Berlin"},
                      "cartItems": [{"sku": "SOCK-M", "quantity": 2, "price": 12.99,
                                     "attributes": {"engraving": "For Alice"}}]}}""".formatted(PROFILE));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        }
        // erasure-2 (not the profile's first session) moves to another profile: its earlier events still hold the
        // erased customer's data
        assertThat(send("PUT", "/v2/customer_sessions/erasure-2",
                "{\"customerSession\": {\"profileId\": \"moved-customer\"}}").statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/v2/customer_sessions/erasure-2", "{\"customerSession\": {\"state\": \"closed\"}}")
                .statusCode()).isEqualTo(200);
        // and a session of another customer, who keeps hers
        assertThat(send("PUT", "/v2/customer_sessions/keeper-1", """
                {"customerSession": {"profileId": "other-customer", "identifiers": ["bob@example.com"],
                  "attributes": {"shippingCity": "Hamburg"}, "cartItems": [{"sku": "CAP", "quantity": 1, "price": 9.5}]}}
                """).statusCode()).isEqualTo(200);

        // when
        HttpResponse<String> deleted = send("DELETE", "/v1/customer_data/" + PROFILE, null);

        // then: the current view
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        for (String id : List.of("erasure-1", "erasure-2")) {
            JsonNode session = json(send("GET", "/v2/customer_sessions/" + id, null))
                    .get("customerSession");
            assertThat(session.get("profileId").asText()).isEmpty();
            assertThat(session.get("attributes").size()).isZero();
            assertThat(session.get("identifiers").size()).isZero();
            assertThat(session.get("cartItems").get(0).get("sku").asText()).isEqualTo("SOCK-M");
            assertThat(session.get("total").decimalValue()).isEqualByComparingTo("25.98");
        }
        // the history, fed from the log, shows the redaction and no personal value
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            String history = management("/v1/applications/1/customer_sessions/erasure-2/events");
            assertThat(history).contains("talon_session_redacted")
                    .doesNotContain("Berlin", "alice@example.com", "For Alice", PROFILE);
        });
        // a second DELETE finds no session of the profile any more
        assertThat(send("DELETE", "/v1/customer_data/" + PROFILE, null).statusCode()).isEqualTo(204);
        // the log records the erasure as an event with who asked
        List<SessionRedacted> redactions = new ArrayList<>();
        for (ConsumerRecord<String, Object> record : readAll(TOPICS.events())) {
            SessionEvent event = (SessionEvent) record.value();
            if (event.getIntegrationId().startsWith("erasure-") && event.getPayload() instanceof SessionRedacted r) {
                redactions.add(r);
            }
        }
        assertThat(redactions).hasSize(2).allSatisfy(redacted ->
                assertThat(redacted.getRequestedBy()).matches("integration-api-key:[0-9a-f]{12}"));
        // the log itself: no personal value in clear in any record, and read as every reader reads it (the
        // production deserializer with the key topic), nothing of the erased customer; the other one's data is there
        List<ConsumerRecord<String, byte[]>> log = readRaw(TOPICS.events());
        assertThat(log).allSatisfy(record -> assertThat(new String(record.value(), StandardCharsets.ISO_8859_1))
                .doesNotContain(PERSONAL).doesNotContain(OTHERS));
        AvroWireDeserializer wire = new AvroWireDeserializer();
        wire.configure(Map.of("schema.registry.url", system.schemaRegistryUrl(), "specific.avro.reader", true), false);
        AvroWireDeserializer keyValues = new AvroWireDeserializer();
        keyValues.configure(Map.of("schema.registry.url", system.schemaRegistryUrl(), "specific.avro.reader", true),
                false);
        try (KafkaDataKeys keys = KafkaDataKeys.open(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                system.bootstrapServers()), TOPICS.sessionKeys(), keyValues)) {
            UnsealingEventDeserializer reader = new UnsealingEventDeserializer(wire, keys);
            StringBuilder erased = new StringBuilder();
            StringBuilder kept = new StringBuilder();
            for (ConsumerRecord<String, byte[]> record : log) {
                SessionEvent event = reader.deserialize(record.topic(), record.value());
                if (event.getIntegrationId().startsWith("erasure-")) {
                    erased.append(event).append('\n');
                } else if (event.getIntegrationId().equals("keeper-1")) {
                    kept.append(event).append('\n');
                }
            }
            assertThat(erased.toString()).contains("SOCK-M", "12.99").doesNotContain(PERSONAL);
            assertThat(kept.toString()).contains(OTHERS);
        }
        // the key topic: a tombstone last for each erased session, a live key for the other
        Map<String, byte[]> latestKeys = new HashMap<>();
        readRaw(TOPICS.sessionKeys()).forEach(record -> latestKeys.put(record.key(), record.value()));
        assertThat(latestKeys).containsKeys("1:erasure-1", "1:erasure-2", "1:keeper-1");
        assertThat(latestKeys.get("1:erasure-1")).isNull();
        assertThat(latestKeys.get("1:erasure-2")).isNull();
        assertThat(latestKeys.get("1:keeper-1")).isNotNull();
        // replaying the log gives exactly the live, redacted projection
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Replay.run(new String[]{"--bootstrap-servers", system.bootstrapServers(),
                        "--schema-registry-url", system.schemaRegistryUrl(), "--quiet"}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("differences:      0\n");
    }

    /** To the session-service, with the Integration API key. */
    private HttpResponse<String> send(String method, String path, String body) {
        return http.send(HttpRequest.newBuilder(URI.create(system.sessionServiceUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }

    private String management(String path) {
        HttpResponse<String> response = http.get(system.projectorUrl() + path, TestSystems.MANAGEMENT_KEY);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** Every committed record of {@code topic}, values as they are in the log. */
    private List<ConsumerRecord<String, byte[]>> readRaw(String topic) {
        return TopicReader.readRaw(system.bootstrapServers(), topic);
    }

    private List<ConsumerRecord<String, Object>> readAll(String topic) {
        return TopicReader.readAll(system.bootstrapServers(), system.schemaRegistryUrl(), topic);
    }
}
