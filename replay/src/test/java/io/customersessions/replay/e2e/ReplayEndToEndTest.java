package io.customersessions.replay.e2e;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.serde.AvroWireSerializer;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.testing.SystemHttp;
import io.customersessions.launcher.testing.TestSystems;
import io.customersessions.launcher.testing.TopicReader;
import io.customersessions.replay.Replay;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay against the whole system as a user runs it: a real KRaft broker, the schema registry, the projector
 * and the session-service as child processes, driven over HTTP; the replay command runs in-process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayEndToEndTest {

    private static final int SESSIONS = 32;
    private static final Topics TOPICS = Topics.defaults();

    private final SystemHttp http = new SystemHttp();
    @AutoClose
    private EmbeddedSystem system;
    /** Events the log must hold: one per accepted (200) PUT. */
    private int acceptedChanges;

    @BeforeAll
    void startSystemAndDriveCheckouts() throws Exception {
        system = TestSystems.builder("replay-e2e")
                .sessionServiceProperties(TestSystems.PATIENT_OUTCOMES)
                .start();
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS / 2);
        try {
            List<Future<Integer>> accepted = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                int session = i;
                accepted.add(pool.submit(() -> checkout(session)));
            }
            for (Future<Integer> changes : accepted) {
                acceptedChanges += changes.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_replay_of_the_live_system_finds_no_difference() {
        // when
        Run run = replay();

        // then
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).contains("sessions checked: " + SESSIONS + "\n")
                .contains("events folded:    " + acceptedChanges + " in ")
                .contains("differences:      0\n");
        assertThat(run.err()).contains("100%").contains("events/s");
        System.out.print(run.out());
    }

    @Test
    void since_compares_only_the_sessions_changed_at_or_after_the_instant() {
        // when
        Run future = replay("--since", Instant.now().plus(Duration.ofHours(1)).toString(), "--quiet");
        Run past = replay("--since", "2020-01-01T00:00:00Z", "--quiet");

        // then: every event is still folded
        assertThat(future.status()).as(future.toString()).isZero();
        assertThat(future.out()).contains("sessions checked: 0 (with an event at or after ")
                .contains("events folded:    " + acceptedChanges + " in ");
        assertThat(future.err()).isEmpty();
        assertThat(past.out()).contains("sessions checked: " + SESSIONS + " (with an event");
    }

    @Test
    void a_forged_live_state_is_reported_with_its_session_and_field_and_exit_status_1() {
        // given: someone wrote a state record the log does not justify
        String key = "1:replay-7";
        CustomerSessionState real = latestState(key);
        CustomerSessionState forged = CustomerSessionState.newBuilder(real).setTotal("999.99").build();
        writeState(key, forged);
        try {
            // when
            Run run = replay("--quiet");

            // then
            assertThat(run.status()).as(run.toString()).isEqualTo(1);
            assertThat(run.out()).contains("differences:      1 in 1 session\n")
                    .contains(key + " total: live=999.99 rebuilt=" + real.getTotal() + "\n");
        } finally {
            writeState(key, real);
        }
        assertThat(replay("--quiet").status()).isZero();
    }

    @Test
    void a_log_that_is_not_there_is_exit_status_2() {
        // when
        Run run = replay("--topic-prefix", "absent-", "--quiet");

        // then
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("absent-customer-session-events does not exist");
        assertThat(run.out()).isEmpty();
    }

    /** A checkout of a few changes; returns how many were accepted (each appends one event). */
    private int checkout(int i) throws Exception {
        String id = "replay-" + i;
        int accepted = 0;
        accepted += expect(put(id, """
                {"customerSession": {"profileId": "customer-%d", "state": "open",
                  "cartItems": [{"name": "Merino socks", "sku": "SOCK-M", "quantity": %d, "price": 12.99}],
                  "additionalCosts": {"shipping": {"price": 4.95}}, "attributes": {"city": "Berlin"}}}"""
                .formatted(i % 10, 1 + i % 3)), 200);
        accepted += expect(put(id, """
                {"customerSession": {"couponCodes": ["WELCOME10"],
                  "cartItems": [{"sku": "SOCK-M", "quantity": 2, "price": 12.99},
                                {"sku": "CAP", "quantity": 1, "price": 0.1, "category": "hats"}]}}"""), 200);
        switch (i % 4) {
            case 0 -> accepted += expect(put(id, "{\"customerSession\": {\"state\": \"closed\"}}"), 200);
            case 1 -> {
                accepted += expect(put(id, "{\"customerSession\": {\"state\": \"cancelled\"}}"), 200);
                expect(put(id, "{\"customerSession\": {\"state\": \"open\"}}"), 409);
            }
            case 2 -> {
                accepted += expect(put(id, "{\"customerSession\": {\"state\": \"closed\"}}"), 200);
                accepted += expect(put(id, "{\"customerSession\": {\"state\": \"cancelled\"}}"), 200);
            }
            default -> accepted += expect(put(id, "{\"customerSession\": {\"attributes\": {\"gift\": \"yes\"}}}"), 200);
        }
        return accepted;
    }

    private static int expect(HttpResponse<String> response, int status) {
        SystemHttp.assertStatus(response, status);
        return status == 200 ? 1 : 0;
    }

    private HttpResponse<String> put(String id, String body) {
        return http.put(system.sessionServiceUrl() + "/v2/customer_sessions/" + id, body);
    }

    private record Run(int status, String out, String err) {
    }

    private Run replay(String... extra) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", system.bootstrapServers(),
                "--schema-registry-url", system.schemaRegistryUrl()));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Replay.run(args.toArray(String[]::new), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private CustomerSessionState latestState(String key) {
        CustomerSessionState latest = null;
        for (ConsumerRecord<String, Object> record
                : TopicReader.readAll(system.bootstrapServers(), system.schemaRegistryUrl(), TOPICS.state())) {
            if (key.equals(record.key())) {
                latest = (CustomerSessionState) record.value();
            }
        }
        assertThat(latest).as("the live state of " + key).isNotNull();
        return latest;
    }

    private void writeState(String key, CustomerSessionState state) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroWireSerializer.class.getName(),
                "schema.registry.url", system.schemaRegistryUrl());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(TOPICS.state(), key, state)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not write the state of " + key, e);
        }
    }
}
