package io.customersessions.launcher.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.SessionEvent;
import io.customersessions.eventlog.Topics;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.ServiceOutput;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole system as a user runs it: a real KRaft broker, the schema registry, the projector and the
 * session-service as child processes, driven over HTTP; the log is read back with a plain consumer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedSystem system;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startSystem() throws IOException {
        Path target = Path.of("target");
        Files.createDirectories(target);
        system = EmbeddedSystem.builder()
                .dataDir(Files.createTempDirectory(target, "e2e-data"))
                .brokerPort(0).registryPort(0).projectorPort(0).sessionServicePort(0)
                .output(ServiceOutput.logFiles(target.resolve("e2e-logs")))
                .start();
    }

    @AfterAll
    void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void a_put_answers_with_the_folded_session_and_the_projector_serves_it() throws Exception {
        // when
        HttpResponse<String> created = put("e2e-1", """
                {"customerSession": {"profileId": "e2e-customer", "state": "open",
                  "cartItems": [{"sku": "tee", "name": "T-shirt", "quantity": 2, "price": 0.1},
                                {"sku": "cap", "quantity": 1, "price": 0.2}],
                  "additionalCosts": {"shipping": {"price": 4.95}},
                  "couponCodes": ["WELCOME"], "attributes": {"shippingCity": "Berlin"}},
                 "responseContent": ["customerSession"]}""", null);
        HttpResponse<String> updated = put("e2e-1", """
                {"customerSession": {"cartItems": [{"sku": "tee", "quantity": 3, "price": 0.1}]}}""", null);

        // then: read your write, after the fold
        assertStatus(created, 200);
        JsonNode session = JSON.readTree(created.body()).get("customerSession");
        assertThat(session.get("updateCount").asInt()).isEqualTo(1);
        assertThat(session.get("cartItemTotal").decimalValue()).isEqualByComparingTo("0.4");
        assertThat(session.get("total").decimalValue()).isEqualByComparingTo("5.35");
        assertThat(session.get("firstSession").asBoolean()).isTrue();
        assertStatus(updated, 200);
        JsonNode after = JSON.readTree(updated.body()).get("customerSession");
        assertThat(after.get("updateCount").asInt()).isEqualTo(2);
        assertThat(after.get("couponCodes").get(0).asText()).isEqualTo("WELCOME");
        assertThat(after.get("total").decimalValue()).isEqualByComparingTo("5.25");

        HttpResponse<String> read = get("e2e-1");
        assertStatus(read, 200);
        assertThat(JSON.readTree(read.body()).get("customerSession")).isEqualTo(after);
        assertStatus(get("never-created"), 404);
    }

    @Test
    void a_forbidden_transition_is_a_409_and_appends_no_event() throws Exception {
        // given a cancelled session
        assertStatus(put("e2e-2", "{\"customerSession\": {\"state\": \"open\"}}", null), 200);
        assertStatus(put("e2e-2", "{\"customerSession\": {\"state\": \"cancelled\"}}", null), 200);

        // when
        HttpResponse<String> reopened = put("e2e-2", "{\"customerSession\": {\"state\": \"open\"}}", null);

        // then
        assertStatus(reopened, 409);
        JsonNode error = JSON.readTree(reopened.body());
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("errors").get(0).get("title").asText()).isNotBlank();
        assertThat(eventTypesOf("e2e-2")).containsExactly("SessionCreated", "SessionCancelled");
    }

    @Test
    void an_over_limit_cart_is_a_400_and_nothing_is_appended() throws Exception {
        // given 1001 items
        String items = IntStream.range(0, 1001)
                .mapToObj(i -> "{\"sku\": \"sku-" + i + "\", \"quantity\": 1, \"price\": 1}")
                .collect(Collectors.joining(","));

        // when
        HttpResponse<String> response = put("e2e-3", "{\"customerSession\": {\"cartItems\": [" + items + "]}}", null);

        // then
        assertStatus(response, 400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("errors").get(0).get("source").get("pointer").asText()).isEqualTo("/customerSession/cartItems");
        assertThat(recordsOf(Topics.COMMANDS, "e2e-3")).isEmpty();
        assertThat(recordsOf(Topics.EVENTS, "e2e-3")).isEmpty();
        assertStatus(get("e2e-3"), 404);
    }

    @Test
    void malformed_json_is_a_400_in_talon_ones_error_shape() throws Exception {
        // when
        HttpResponse<String> response = put("e2e-4", "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": \"many\"}]}}", null);

        // then
        assertStatus(response, 400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.has("message")).isTrue();
        assertThat(error.get("errors").isArray()).isTrue();
        assertThat(recordsOf(Topics.COMMANDS, "e2e-4")).isEmpty();
    }

    @Test
    void if_match_with_a_stale_update_count_is_a_412() throws Exception {
        // given
        assertStatus(put("e2e-5", "{\"customerSession\": {}}", null), 200);

        // when
        HttpResponse<String> stale = put("e2e-5", "{\"customerSession\": {\"state\": \"closed\"}}", "7");
        HttpResponse<String> current = put("e2e-5", "{\"customerSession\": {\"state\": \"closed\"}}", "1");

        // then
        assertStatus(stale, 412);
        assertStatus(current, 200);
        assertThat(JSON.readTree(current.body()).get("customerSession").get("state").asText()).isEqualTo("closed");
    }

    private static void assertStatus(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("%s %s answered %s", response.request().method(),
                response.uri(), response.body()).isEqualTo(status);
    }

    private List<String> eventTypesOf(String integrationId) {
        return recordsOf(Topics.EVENTS, integrationId).stream()
                .map(r -> ((SessionEvent) r.value()).getPayload().getClass().getSimpleName())
                .toList();
    }

    private List<ConsumerRecord<String, Object>> recordsOf(String topic, String integrationId) {
        return LogReader.readAll(system.bootstrapServers(), system.schemaRegistryUrl(), topic).stream()
                .filter(r -> r.key().equals("1:" + integrationId))
                .filter(r -> r.value() instanceof SessionEvent || r.value() instanceof SessionCommand)
                .toList();
    }

    private HttpResponse<String> put(String id, String body, String ifMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.sessionServiceUrl() + "/v2/customer_sessions/" + id))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(system.projectorUrl() + "/v2/customer_sessions/" + id))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
