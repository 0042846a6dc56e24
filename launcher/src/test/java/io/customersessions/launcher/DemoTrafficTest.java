package io.customersessions.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.customersessions.launcher.DemoTraffic.Plan;
import io.customersessions.launcher.DemoTraffic.Request;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTrafficTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode session(Request request) {
        try {
            return JSON.readTree(request.body()).get("customerSession");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> ids(List<Request> requests) {
        return requests.stream().map(Request::sessionId).collect(Collectors.toSet());
    }

    @Test
    void every_session_is_first_opened_with_a_realistic_cart() {
        // given
        Plan plan = DemoTraffic.plan("run1", 300, new Random(1));

        // when
        List<Request> opens = plan.phases().get(0);

        // then
        assertThat(ids(opens)).hasSize(300).contains("demo-run1-1", "demo-run1-300");
        assertThat(opens).allSatisfy(request -> {
            JsonNode session = session(request);
            assertThat(session.get("state").asText()).isEqualTo("open");
            assertThat(session.get("cartItems").size()).isBetween(1, 5);
            session.get("cartItems").forEach(item -> {
                assertThat(item.get("quantity").asInt()).isBetween(1, 3);
                assertThat(item.get("price").isBigDecimal() || item.get("price").isDouble()).isTrue();
                assertThat(item.get("sku").asText()).isNotBlank();
                assertThat(item.get("category").asText()).isNotBlank();
            });
        });
        assertThat(opens).anySatisfy(request -> assertThat(session(request).has("profileId")).isFalse());
        assertThat(opens.stream().map(request -> session(request).path("profileId").asText()).filter(id -> !id.isEmpty())
                .collect(Collectors.groupingBy(id -> id, Collectors.counting())).values())
                .as("customers with several sessions").anyMatch(count -> count > 1);
    }

    @Test
    void only_changes_to_cancelled_sessions_are_expected_to_be_refused() {
        // given
        Plan plan = DemoTraffic.plan("run1", 300, new Random(1));
        List<List<Request>> phases = plan.phases();

        // when
        Set<String> cancelled = new HashSet<>();
        phases.subList(0, phases.size() - 1).forEach(phase -> phase.stream()
                .filter(request -> session(request).get("state").asText().equals("cancelled"))
                .forEach(request -> cancelled.add(request.sessionId())));
        List<Request> forbidden = phases.get(phases.size() - 1);

        // then
        assertThat(forbidden).isNotEmpty().allMatch(Request::expectConflict);
        assertThat(ids(forbidden)).isSubsetOf(cancelled);
        assertThat(phases.subList(0, phases.size() - 1)).allSatisfy(phase ->
                assertThat(phase).noneMatch(Request::expectConflict));
        assertThat(cancelled).doesNotContain(plan.exampleSessionId());
    }

    @Test
    void runs_with_different_ids_have_the_same_shape_and_never_share_a_session() {
        // given
        Plan first = DemoTraffic.plan("aaa", 100, new Random(7));
        Plan second = DemoTraffic.plan("bbb", 100, new Random(7));

        // when
        List<Integer> firstShape = first.phases().stream().map(List::size).toList();
        List<Integer> secondShape = second.phases().stream().map(List::size).toList();

        // then
        assertThat(firstShape).isEqualTo(secondShape);
        assertThat(ids(first.phases().get(0))).doesNotContainAnyElementsOf(ids(second.phases().get(0)));
    }

    /** A session-service stand-in that answers every request with {@code status} and the body {@code body} gives. */
    private static HttpServer answering(int status, Supplier<String> body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/v2/customer_sessions/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static List<Request> withIdempotencyKeysSentTwice(Plan plan) {
        Map<String, List<Request>> byKey = plan.all().stream().flatMap(List::stream)
                .filter(request -> request.idempotencyKey() != null)
                .collect(Collectors.groupingBy(Request::idempotencyKey));
        return byKey.values().stream().filter(sent -> sent.size() > 1).map(sent -> sent.get(1)).toList();
    }

    @Test
    void a_request_sent_again_with_its_idempotency_key_must_get_the_first_answer_again() throws Exception {
        // given a session-service that applies a request again when it is repeated (a new answer each time)
        AtomicInteger answers = new AtomicInteger();
        HttpServer appliesTwice = answering(200, () -> "{\"effects\": " + answers.incrementAndGet() + "}");
        try {
            Plan plan = DemoTraffic.plan("run3", 40, new Random(20240601L));
            int forbidden = plan.phases().get(plan.phases().size() - 1).size();
            List<Request> repeated = withIdempotencyKeysSentTwice(plan);

            // when
            DemoTraffic.Summary summary = DemoTraffic.run("http://localhost:" + appliesTwice.getAddress().getPort(),
                    "run3", 40);

            // then: the retried close and the repeated return are unexpected, besides the forbidden changes
            assertThat(repeated).extracting(Request::pathSuffix).containsExactlyInAnyOrder("", "/returns");
            assertThat(summary.unexpected()).isEqualTo(forbidden + repeated.size());
            assertThat(summary.unexpectedExamples()).anySatisfy(example -> assertThat(example)
                    .contains("sent again with its Idempotency-Key").contains("expected the first answer"));
        } finally {
            appliesTwice.stop(0);
        }
    }

    @Test
    void an_answer_accepted_for_later_is_not_the_demo_s_expected_answer() throws Exception {
        // given a session-service whose outcomes are all late (202)
        HttpServer late = answering(202, () -> "{}");
        try {
            Plan plan = DemoTraffic.plan("run4", 40, new Random(20240601L));

            // when
            DemoTraffic.Summary summary = DemoTraffic.run("http://localhost:" + late.getAddress().getPort(),
                    "run4", 40);

            // then
            assertThat(summary.unexpected()).isEqualTo(plan.requests());
            assertThat(summary.unexpectedExamples()).first().asString().contains("-> 202");
        } finally {
            late.stop(0);
        }
    }

    @Test
    void the_summary_counts_answers_by_status_and_reports_unexpected_ones() throws Exception {
        // given a session-service that accepts everything, even what must be refused
        HttpServer acceptsAll = answering(200, () -> "{}");
        try {
            Plan plan = DemoTraffic.plan("run2", 40, new Random(20240601L));
            int forbidden = plan.phases().get(plan.phases().size() - 1).size();

            // when
            DemoTraffic.Summary summary = DemoTraffic.run("http://localhost:" + acceptsAll.getAddress().getPort(),
                    "run2", 40);

            // then
            assertThat(summary.requests()).isEqualTo(plan.requests());
            assertThat(summary.byStatus()).isEqualTo(Map.of("200", plan.requests()));
            assertThat(summary.unexpected()).isEqualTo(forbidden);
            assertThat(summary.unexpectedExamples()).first().asString().contains("expected 409");
            assertThat(summary.report()).contains("40 sessions").contains(forbidden + " unexpected responses");
        } finally {
            acceptsAll.stop(0);
        }
    }
}
