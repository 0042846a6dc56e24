package io.customersessions.launcher.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.SessionEvent;
import io.customersessions.eventlog.Topics;
import io.customersessions.launcher.EmbeddedSystem;
import io.customersessions.launcher.testing.SystemHttp;
import io.customersessions.launcher.testing.TestSystems;
import io.customersessions.launcher.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.customersessions.launcher.testing.SystemHttp.JSON;
import static io.customersessions.launcher.testing.SystemHttp.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system as a user runs it: a real KRaft broker, the schema registry, the projector and the
 * session-service as child processes, driven over HTTP; the log is read back with a plain consumer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {

    @AutoClose
    private EmbeddedSystem system;
    private final SystemHttp http = new SystemHttp();

    @BeforeAll
    void startSystem() {
        system = TestSystems.builder("e2e")
                .sessionServiceProperties(TestSystems.PATIENT_OUTCOMES)
                .brokerProcess(true) // as the launcher runs it
                .start();
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

    /**
     * Attributes are kept across updates, so updates that each fit can add up to a session no Kafka record can hold.
     * Before the limit, the processor failed to write such a session, stopped, and stopped again after each restart:
     * no session was folded any more.
     */
    @Test
    void updates_that_would_add_up_to_a_session_too_large_for_the_log_are_refused_and_the_fold_goes_on()
            throws Exception {
        // given a session holding a 250 KiB attribute
        String large = "x".repeat(250 * 1024);
        assertStatus(put("e2e-large", "{\"customerSession\": {\"attributes\": {\"a\": \"" + large + "\"}}}",
                null), 200);

        // when another 250 KiB attribute would be added
        HttpResponse<String> second = put("e2e-large",
                "{\"customerSession\": {\"attributes\": {\"b\": \"" + large + "\"}}}", null);

        // then it is refused, and the processor goes on folding
        assertStatus(second, 400);
        assertThat(JSON.readTree(second.body()).get("errors").get(0).get("title").asText())
                .isEqualTo("session too large");
        assertStatus(put("e2e-after-large", "{\"customerSession\": {}}", null), 200);
        assertThat(eventTypesOf("e2e-large")).containsExactly("SessionCreated");
    }

    @Test
    void a_number_of_a_billion_digits_is_a_400_at_once() throws Exception {
        // when
        HttpResponse<String> response = put("e2e-digits", "{\"customerSession\": {\"cartItems\": "
                + "[{\"sku\": \"a\", \"quantity\": 1e999999999, \"price\": 1}]}}", null);

        // then
        assertStatus(response, 400);
        assertThat(response.body()).contains("1E+999999999");
        assertThat(recordsOf(Topics.COMMANDS, "e2e-digits")).isEmpty();
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

    @Test
    void a_close_retried_with_its_idempotency_key_is_answered_once_and_appended_once() throws Exception {
        // given an open session
        assertStatus(put("e2e-5k", "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1}]}}",
                null), 200);
        String close = "{\"customerSession\": {\"state\": \"closed\"}}";

        // when: the close is sent, then retried as a client that did not get the answer would
        HttpResponse<String> first = keyedPut("e2e-5k", close, "e2e-5k-close");
        HttpResponse<String> retried = keyedPut("e2e-5k", close, "e2e-5k-close");
        HttpResponse<String> unkeyed = put("e2e-5k", close, null);

        // then: the retry gets the first answer, where a close without a key is a 409 for closing a closed session
        assertStatus(first, 200);
        assertStatus(retried, 200);
        assertThat(JSON.readTree(retried.body())).isEqualTo(JSON.readTree(first.body()));
        assertThat(JSON.readTree(first.body()).at("/customerSession/state").asText()).isEqualTo("closed");
        assertStatus(unkeyed, 409);
        assertThat(eventTypesOf("e2e-5k")).containsExactly("SessionCreated", "SessionClosed");

        // and: the key is remembered for 24 hours of command time (a dry run's time is its `now`)
        Instant closedAt = Instant.parse(JSON.readTree(first.body()).at("/customerSession/updated").asText());
        assertStatus(keyedDryRun("e2e-5k", close, "e2e-5k-close", closedAt.plus(Duration.ofHours(23))), 200);
        assertStatus(keyedDryRun("e2e-5k", close, "e2e-5k-close", closedAt.plus(Duration.ofHours(25))), 409);
    }

    @Test
    void a_read_through_the_session_service_is_the_projectors_answer() throws Exception {
        // given
        HttpResponse<String> created = put("e2e-6", "{\"customerSession\": {\"profileId\": \"e2e-6\"}}", null);

        // when
        HttpResponse<String> read = send(HttpRequest.newBuilder(sessionService("/v2/customer_sessions/e2e-6")).GET());

        // then
        assertStatus(created, 200);
        assertStatus(read, 200);
        assertThat(JSON.readTree(read.body()).get("customerSession"))
                .isEqualTo(JSON.readTree(created.body()).get("customerSession"));
        assertThat(JSON.readTree(read.body()).get("effects").size()).isZero();
        assertStatus(send(HttpRequest.newBuilder(sessionService("/v2/customer_sessions/never-created")).GET()), 404);
    }

    @Test
    void without_a_valid_key_every_write_is_a_401_and_nothing_is_appended() throws Exception {
        // when
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(sessionService("/v2/customer_sessions/e2e-7"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"customerSession\": {}}")), null);
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(sessionService("/v2/customer_sessions/e2e-7"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"customerSession\": {}}")), "ApiKey-v1 not-a-key");

        // then
        assertStatus(missing, 401);
        assertStatus(unknown, 401);
        assertThat(JSON.readTree(unknown.body()).get("message").asText()).startsWith("Unauthorized");
        assertThat(recordsOf(Topics.COMMANDS, "e2e-7")).isEmpty();
    }

    @Test
    void a_dry_run_answers_the_would_be_state_and_appends_nothing() throws Exception {
        // given
        assertStatus(put("e2e-8", "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"price\": 2}]}}", null), 200);
        int commandsBefore = recordsOf(Topics.COMMANDS, "e2e-8").size();

        // when
        HttpResponse<String> dry = send(HttpRequest.newBuilder(sessionService(
                "/v2/customer_sessions/e2e-8?dry=true&now=2030-01-01T00:00:00Z"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"customerSession\": {\"state\": \"closed\"}}")));
        HttpResponse<String> nowWithoutDry = send(HttpRequest.newBuilder(sessionService(
                "/v2/customer_sessions/e2e-8?now=2030-01-01T00:00:00Z"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"customerSession\": {\"state\": \"closed\"}}")));

        // then
        assertStatus(dry, 200);
        JsonNode wouldBe = JSON.readTree(dry.body()).get("customerSession");
        assertThat(wouldBe.get("state").asText()).isEqualTo("closed");
        assertThat(wouldBe.get("updateCount").asInt()).isEqualTo(2);
        assertThat(wouldBe.get("updated").asText()).isEqualTo("2030-01-01T00:00:00.000Z");
        assertStatus(nowWithoutDry, 400);
        assertThat(recordsOf(Topics.COMMANDS, "e2e-8")).hasSize(commandsBefore);
        assertThat(eventTypesOf("e2e-8")).containsExactly("SessionCreated");
        JsonNode stored = JSON.readTree(send(HttpRequest.newBuilder(sessionService("/v2/customer_sessions/e2e-8")).GET())
                .body()).get("customerSession");
        assertThat(stored.get("state").asText()).isEqualTo("open");
        assertThat(stored.get("updateCount").asInt()).isEqualTo(1);
    }

    @Test
    void a_return_repeated_with_its_key_is_answered_once_and_another_return_under_the_key_refused() throws Exception {
        // given a closed session with 2 + 1 units
        assertStatus(put("e2e-9", """
                {"customerSession": {"state": "closed", "cartItems": [{"sku": "a", "quantity": 2, "price": 10},
                                                                      {"sku": "b", "quantity": 1, "price": 5}]}}""", null), 200);
        String body = "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": 1}]}}";

        // when
        HttpResponse<String> first = returnItems("e2e-9", body, "e2e-9-return-1");
        HttpResponse<String> repeated = returnItems("e2e-9", body, "e2e-9-return-1");
        HttpResponse<String> otherUnderTheKey = returnItems("e2e-9",
                "{\"return\": {\"returnedCartItems\": [{\"position\": 1, \"quantity\": 1}]}}", "e2e-9-return-1");
        HttpResponse<String> tooMany = returnItems("e2e-9", "{\"return\": {\"returnedCartItems\": [{\"position\": 1, \"quantity\": 2}]}}", null);

        // then
        assertStatus(first, 200);
        assertStatus(repeated, 200);
        JsonNode session = JSON.readTree(first.body()).get("customerSession");
        assertThat(session.get("state").asText()).isEqualTo("partially_returned");
        assertThat(session.get("cartItems").get(0).get("returnedQuantity").asInt()).isEqualTo(1);
        assertThat(session.get("cartItems").get(0).get("remainingQuantity").asInt()).isEqualTo(1);
        assertThat(session.get("total").decimalValue()).isEqualByComparingTo("15");
        assertThat(JSON.readTree(repeated.body()).get("customerSession")).isEqualTo(session);
        assertStatus(otherUnderTheKey, 422);
        assertThat(JSON.readTree(otherUnderTheKey.body()).at("/errors/0/source/parameter").asText())
                .isEqualTo("Idempotency-Key");
        assertStatus(tooMany, 400);
        assertThat(eventTypesOf("e2e-9")).containsExactly("SessionCreated", "SessionPartiallyReturned");
    }

    @Test
    void only_a_closed_session_can_be_reopened() throws Exception {
        // given
        assertStatus(put("e2e-10", "{\"customerSession\": {\"state\": \"closed\"}}", null), 200);

        // when
        HttpResponse<String> reopened = reopen("e2e-10");
        HttpResponse<String> again = reopen("e2e-10");
        HttpResponse<String> unknown = reopen("e2e-never");

        // then
        assertStatus(reopened, 200);
        assertThat(JSON.readTree(reopened.body()).get("customerSession").get("state").asText()).isEqualTo("open");
        assertStatus(again, 409);
        assertThat(JSON.readTree(again.body()).get("message").asText()).isNotBlank();
        assertStatus(unknown, 404);
        assertThat(eventTypesOf("e2e-10")).containsExactly("SessionCreated", "SessionReopened");
    }

    @Test
    void records_on_the_outcome_topic_that_cannot_be_read_fail_no_later_request() throws Exception {
        // given: ahead of the session's next outcome in its partition, records that are not outcomes, one without
        // and one with a command id
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.OUTCOMES, "1:e2e-garbled", new byte[] {1, 2, 3})).get();
            ProducerRecord<String, byte[]> named = new ProducerRecord<>(Topics.OUTCOMES, "1:e2e-garbled",
                    new byte[] {0, 0, 0});
            named.headers().add(Topics.COMMAND_ID_HEADER, "nobody-waits".getBytes(StandardCharsets.UTF_8));
            producer.send(named).get();
        }

        // when
        HttpResponse<String> created = put("e2e-garbled", "{\"customerSession\": {\"state\": \"open\"}}", null);
        HttpResponse<String> closed = put("e2e-garbled", "{\"customerSession\": {\"state\": \"closed\"}}", null);

        // then: each answered from its outcome (a lost outcome reader would leave them to time out: 202)
        assertStatus(created, 200);
        assertStatus(closed, 200);
        assertThat(JSON.readTree(closed.body()).get("customerSession").get("state").asText()).isEqualTo("closed");
    }

    @Test
    void a_v1_update_answers_the_v1_session_with_coupon_and_discounts() throws Exception {
        // given
        HttpResponse<String> created = send(HttpRequest.newBuilder(sessionService("/v1/customer_sessions/e2e-11"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("""
                        {"profileId": "e2e-11", "coupon": "SPRING", "total": 1,
                         "cartItems": [{"sku": "a", "quantity": 2, "price": 10}]}""")));
        HttpResponse<String> discounted = send(HttpRequest.newBuilder(sessionService("/v2/customer_sessions/e2e-11/discounts"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"discounts\": {\"spring sale\": 2.5}}")));

        // when
        HttpResponse<String> updated = send(HttpRequest.newBuilder(sessionService("/v1/customer_sessions/e2e-11"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"referral\": \"FRIEND\"}")));

        // then
        assertStatus(created, 200);
        assertStatus(discounted, 200);
        assertStatus(updated, 200);
        JsonNode session = JSON.readTree(updated.body()).get("session");
        assertThat(session.get("coupon").asText()).isEqualTo("SPRING");
        assertThat(session.get("total").decimalValue()).isEqualByComparingTo("20");
        assertThat(session.get("discounts").get("spring sale").decimalValue()).isEqualByComparingTo("2.5");
        assertThat(session.get("referral").asText()).isEqualTo("FRIEND");
        assertThat(session.get("updateCount").asInt()).isEqualTo(3);
        assertThat(JSON.readTree(updated.body()).get("profile").get("integrationId").asText()).isEqualTo("e2e-11");
    }

    @Test
    void a_session_can_be_read_as_it_was_at_an_earlier_update_count_or_instant() throws Exception {
        // given
        HttpResponse<String> first = put("asof-1", "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 1, \"price\": 5}]}}", null);
        assertStatus(first, 200);
        String createdAt = JSON.readTree(first.body()).get("customerSession").get("updated").asText();
        assertStatus(put("asof-1", "{\"customerSession\": {\"cartItems\": [{\"sku\": \"a\", \"quantity\": 3, \"price\": 5}]}}", null), 200);

        // when / then: through the session-service, as a Talon.One client would. History is folded from the event
        // log itself, a few milliseconds behind the answer of the PUT, hence the wait.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> byCount = send(HttpRequest.newBuilder(
                    sessionService("/v2/customer_sessions/asof-1?asOfUpdateCount=2")).GET());
            assertStatus(byCount, 200);
        });
        HttpResponse<String> byCount = send(HttpRequest.newBuilder(
                sessionService("/v2/customer_sessions/asof-1?asOfUpdateCount=1")).GET());
        HttpResponse<String> byInstant = send(HttpRequest.newBuilder(
                sessionService("/v2/customer_sessions/asof-1?asOf=" + createdAt)).GET());
        HttpResponse<String> before = send(HttpRequest.newBuilder(
                sessionService("/v2/customer_sessions/asof-1?asOf=2000-01-01T00:00:00Z")).GET());

        assertStatus(byCount, 200);
        assertThat(JSON.readTree(byCount.body()).get("customerSession").get("total").decimalValue()).isEqualByComparingTo("5");
        assertStatus(byInstant, 200);
        assertThat(JSON.readTree(byInstant.body()).get("customerSession").get("updateCount").asInt()).isEqualTo(1);
        assertStatus(before, 404);
    }

    @Test
    void the_management_listing_filters_pages_and_keeps_other_applications_out() throws Exception {
        // given five sessions of one new profile, two of them closed, and one of another profile
        for (int i = 1; i <= 5; i++) {
            String state = i <= 2 ? "closed" : "open";
            assertStatus(put("list-" + i, "{\"customerSession\": {\"profileId\": \"lister\", \"state\": \"" + state
                    + "\", \"couponCodes\": [\"C" + i + "\"]}}", null), 200);
        }
        assertStatus(put("list-other", "{\"customerSession\": {\"profileId\": \"someone-else\"}}", null), 200);

        // when
        JsonNode byProfile = JSON.readTree(list("1", "profile=lister&pageSize=1000").body());
        JsonNode closed = JSON.readTree(list("1", "profile=lister&state=closed").body());
        JsonNode firstPage = JSON.readTree(list("1", "profile=lister&pageSize=2&sort=-created").body());
        JsonNode lastPage = JSON.readTree(list("1", "profile=lister&pageSize=2&skip=4&sort=-created").body());
        JsonNode byCoupon = JSON.readTree(list("1", "coupon=C3").body());

        // then
        assertThat(byProfile.get("data")).hasSize(5);
        assertThat(byProfile.get("hasMore").asBoolean()).isFalse();
        assertThat(closed.get("data")).extracting(s -> s.get("integrationId").asText())
                .containsExactlyInAnyOrder("list-1", "list-2");
        assertThat(firstPage.get("hasMore").asBoolean()).isTrue();
        assertThat(firstPage.get("data")).extracting(s -> s.get("integrationId").asText())
                .containsExactly("list-5", "list-4");
        assertThat(lastPage.get("hasMore").asBoolean()).isFalse();
        assertThat(lastPage.get("data")).extracting(s -> s.get("integrationId").asText()).containsExactly("list-1");
        assertThat(byCoupon.get("data")).extracting(s -> s.get("integrationId").asText()).containsExactly("list-3");

        long id = byProfile.get("data").get(0).get("id").asLong();
        HttpResponse<String> one = management(URI.create(system.projectorUrl() + "/v1/applications/1/sessions/" + id));
        assertStatus(one, 200);
        assertThat(JSON.readTree(one.body()).get("id").asLong()).isEqualTo(id);
        assertStatus(list("2", "profile=lister"), 404);
        assertStatus(http.get(system.projectorUrl() + "/v1/applications/1/sessions"), 401);
        assertStatus(list("1", "pageSize=0"), 400);
    }

    private HttpResponse<String> list(String applicationId, String query) throws Exception {
        return management(URI.create(system.projectorUrl() + "/v1/applications/" + applicationId + "/sessions?" + query));
    }

    private HttpResponse<String> management(URI uri) {
        return http.get(uri.toString(), TestSystems.MANAGEMENT_KEY);
    }

    private URI sessionService(String path) {
        return URI.create(system.sessionServiceUrl() + path);
    }

    /** Every request carries the development key. */
    private HttpResponse<String> send(HttpRequest.Builder request) {
        return http.send(request);
    }

    private HttpResponse<String> returnItems(String id, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sessionService("/v2/customer_sessions/" + id + "/returns"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    private HttpResponse<String> reopen(String id) throws Exception {
        return send(HttpRequest.newBuilder(sessionService("/v2/customer_sessions/" + id + "/reopen"))
                .PUT(HttpRequest.BodyPublishers.noBody()));
    }

    private List<String> eventTypesOf(String integrationId) {
        return recordsOf(Topics.EVENTS, integrationId).stream()
                .map(r -> ((SessionEvent) r.value()).getPayload().getClass().getSimpleName())
                .toList();
    }

    private List<ConsumerRecord<String, Object>> recordsOf(String topic, String integrationId) {
        return TopicReader.readAll(system.bootstrapServers(), system.schemaRegistryUrl(), topic).stream()
                .filter(r -> r.key().equals("1:" + integrationId))
                .filter(r -> r.value() instanceof SessionEvent || r.value() instanceof SessionCommand)
                .toList();
    }

    private HttpResponse<String> put(String id, String body, String ifMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sessionService("/v2/customer_sessions/" + id))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return send(request);
    }

    private HttpResponse<String> keyedPut(String id, String body, String idempotencyKey) throws Exception {
        return send(HttpRequest.newBuilder(sessionService("/v2/customer_sessions/" + id))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> keyedDryRun(String id, String body, String idempotencyKey, Instant now) {
        return send(HttpRequest.newBuilder(sessionService("/v2/customer_sessions/" + id + "?dry=true&now=" + now))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

        /** Straight from the projector. */
    private HttpResponse<String> get(String id) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(system.projectorUrl() + "/v2/customer_sessions/" + id)).GET());
    }
}
