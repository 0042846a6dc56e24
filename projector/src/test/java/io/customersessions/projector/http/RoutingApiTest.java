package io.customersessions.projector.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.projector.routing.QueryRouter;
import io.customersessions.projector.routing.Routing;
import io.customersessions.projector.routing.StreamsGroup;
import io.customersessions.projector.streams.TopologyFixture;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads across instances: the group (scripted here) says who owns a key and who the other instances are; a small
 * HTTP server plays the other instance.
 */
@MicronautTest(environments = RoutingApiTest.ENVIRONMENT)
@Property(name = "customer-sessions.routing.answer-timeout", value = RoutingApiTest.ANSWER_TIMEOUT)
class RoutingApiTest {

    static final String ANSWER_TIMEOUT = "1s";

    static final String ENVIRONMENT = "routing";
    static final String INTEGRATION_KEY = "ApiKey-v1 integration-key-app-1";
    static final String MANAGEMENT_KEY = "ManagementKey-v1 management-key-app-1";

    @Inject
    TopologyFixture fixture;
    @Inject
    ScriptedGroup group;
    @Inject
    EmbeddedServer server;

    private final HttpClient http = HttpClient.newHttpClient();
    private OtherInstance other;

    /** What the other instance received, and what it answers. */
    record Received(String method, String uri, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    record Answer(int status, String contentType, byte[] body) {
        static Answer json(int status, String json) {
            return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    static final class OtherInstance implements AutoCloseable {
        final HttpServer server;
        final AtomicReference<Received> received = new AtomicReference<>();
        final List<Received> requests = new CopyOnWriteArrayList<>();
        volatile Answer answer = Answer.json(200, "{}");
        /** When set, the answer to each request; otherwise {@link #answer}. */
        volatile Function<Received, Answer> answering;
        /** When set, answers each request itself (a streamed answer, say); otherwise {@link #answering}. */
        volatile HttpHandler streaming;

        OtherInstance() throws IOException {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/", exchange -> {
                Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes());
                received.set(request);
                requests.add(request);
                HttpHandler streamingHandler = streaming;
                if (streamingHandler != null) {
                    streamingHandler.handle(exchange);
                    return;
                }
                Function<Received, Answer> byRequest = answering;
                Answer a = byRequest == null ? answer : byRequest.apply(request);
                exchange.getResponseHeaders().add("Content-Type", a.contentType());
                exchange.getResponseHeaders().add("X-Answered-By", "other");
                exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(a.body());
                }
            });
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
        }

        HostInfo host() {
            return new HostInfo("localhost", server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @BeforeEach
    void instances() throws IOException {
        fixture.reset();
        fixture.send(fixture.upsert(new SessionKey(1, "s-1"), Optional.empty(), SessionChanges.NONE));
        fixture.send(fixture.upsert(new SessionKey(1, "s-3"), Optional.empty(), SessionChanges.NONE));
        other = new OtherInstance();
        group.script(KafkaStreams.State.RUNNING, ScriptedGroup.SELF, List.of(other.host()));
    }

    @AfterEach
    void stop() {
        other.close();
    }

    @Test
    void a_read_of_a_session_another_instance_owns_is_forwarded_there_and_its_answer_relayed() throws Exception {
        // given
        group.script(KafkaStreams.State.RUNNING, other.host(), List.of(other.host()));
        other.answer = Answer.json(404, "{\"message\":\"not found over there\"}");

        // when
        HttpResponse<String> reply = send("GET", "/v2/customer_sessions/s-9?asOfUpdateCount=2", INTEGRATION_KEY,
                Map.of(), null);

        // then
        Received received = other.received.get();
        assertThat(received.method()).isEqualTo("GET");
        assertThat(received.uri()).isEqualTo("/v2/customer_sessions/s-9?asOfUpdateCount=2");
        assertThat(received.header("Authorization")).isEqualTo(INTEGRATION_KEY);
        assertThat(received.header(QueryRouter.FORWARDED)).isNotNull();
        assertThat(reply.statusCode()).isEqualTo(404);
        assertThat(reply.body()).isEqualTo("{\"message\":\"not found over there\"}");
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(reply.headers().firstValue("X-Answered-By")).hasValue("other");
    }

    @Test
    void a_status_micronaut_has_no_name_for_is_relayed_as_it_is() throws Exception {
        // given a proxy in front of the owner answers 520
        group.script(KafkaStreams.State.RUNNING, other.host(), List.of(other.host()));
        other.answer = Answer.json(520, "{\"message\":\"origin error\"}");

        // when
        HttpResponse<String> reply = send("GET", "/v2/customer_sessions/s-9", INTEGRATION_KEY, Map.of(), null);

        // then
        assertThat(reply.statusCode()).isEqualTo(520);
        assertThat(reply.body()).isEqualTo("{\"message\":\"origin error\"}");
    }

    @Test
    void a_dry_run_is_forwarded_with_its_body_and_the_owners_outcome_relayed() throws Exception {
        // given
        group.script(KafkaStreams.State.RUNNING, other.host(), List.of(other.host()));
        byte[] outcome = {1, 2, 3, 0, 42};
        other.answer = new Answer(200, DryRunController.OUTCOME_TYPE, outcome);
        byte[] command = StoresUnavailableTest.avroCommand(fixture);

        // when
        HttpResponse<byte[]> reply = http.send(request("POST", "/internal/v1/decide", INTEGRATION_KEY,
                Map.of("Content-Type", DryRunController.COMMAND_TYPE), command), HttpResponse.BodyHandlers.ofByteArray());

        // then
        Received received = other.received.get();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.uri()).isEqualTo("/internal/v1/decide");
        assertThat(received.body()).isEqualTo(command);
        assertThat(received.header("Content-Type")).isEqualTo(DryRunController.COMMAND_TYPE);
        assertThat(received.header("Authorization")).isEqualTo(INTEGRATION_KEY);
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(outcome);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue(DryRunController.OUTCOME_TYPE);
    }

    @Test
    void a_forwarded_request_for_a_key_owned_elsewhere_is_503_never_forwarded_again() throws Exception {
        // given: this instance's view says the other owns the key, the other thought this one does
        group.script(KafkaStreams.State.RUNNING, other.host(), List.of(other.host()));

        // when
        HttpResponse<String> reply = send("GET", "/v2/customer_sessions/s-9", INTEGRATION_KEY,
                Map.of(QueryRouter.FORWARDED, "forwarded"), null);

        // then
        assertUnavailable(reply);
        assertThat(other.received.get()).isNull();
    }

    @Test
    void a_key_owned_here_is_read_here() throws Exception {
        HttpResponse<String> reply = send("GET", "/v2/customer_sessions/s-1", INTEGRATION_KEY, Map.of(), null);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).contains("\"integrationId\":\"s-1\"");
        assertThat(other.received.get()).isNull();
    }

    @Test
    void while_the_group_rebalances_reads_listings_and_exports_answer_503_with_retry_after() throws Exception {
        // given
        group.script(KafkaStreams.State.REBALANCING, ScriptedGroup.SELF, List.of(other.host()));

        // when / then
        assertUnavailable(send("GET", "/v2/customer_sessions/s-1", INTEGRATION_KEY, Map.of(), null));
        assertUnavailable(send("GET", "/v1/applications/1/customer_sessions/s-1/events", MANAGEMENT_KEY, Map.of(),
                null));
        assertUnavailable(send("GET", "/v1/applications/1/sessions", MANAGEMENT_KEY, Map.of(), null));
        assertUnavailable(send("GET", "/v1/applications/1/sessions/1", MANAGEMENT_KEY, Map.of(), null));
        assertUnavailable(send("GET", "/v1/applications/1/events/no_total", MANAGEMENT_KEY, Map.of(), null));
        assertUnavailable(send("GET", "/v1/applications/1/export/sessions", MANAGEMENT_KEY, Map.of(), null));
        assertThat(other.received.get()).isNull();
    }

    @Test
    void an_owner_that_does_not_answer_is_503() throws Exception {
        // given
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        group.script(KafkaStreams.State.RUNNING, new HostInfo("localhost", closedPort), List.of());

        // when / then
        assertUnavailable(send("GET", "/v2/customer_sessions/s-9", INTEGRATION_KEY, Map.of(), null));
    }

    @Test
    void an_owner_that_does_not_start_answering_within_the_answer_timeout_is_503() throws Exception {
        // given the owner takes the request and says nothing
        CountDownLatch release = new CountDownLatch(1);
        other.streaming = exchange -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        };
        group.script(KafkaStreams.State.RUNNING, other.host(), List.of(other.host()));
        try {
            // when
            CompletableFuture<HttpResponse<String>> reply = http.sendAsync(
                    request("GET", "/v2/customer_sessions/s-9", INTEGRATION_KEY, Map.of(), null),
                    HttpResponse.BodyHandlers.ofString());

            // then the caller is told to retry after the configured timeout, not Kafka's or the JDK's
            assertUnavailable(assertThat(reply).succeedsWithin(Duration.ofSeconds(15)).actual());
        } finally {
            release.countDown();
        }
    }

    @Test
    void a_first_page_merges_every_instances_first_rows_in_its_order() throws Exception {
        // given: s-1 and s-3 are here, s-2 and s-4 on the other instance
        other.answer = Answer.json(200, "{\"hasMore\":false,\"data\":["
                + "{\"id\":7,\"integrationId\":\"s-2\",\"total\":1.10},{\"id\":8,\"integrationId\":\"s-4\"}]}");

        // when
        HttpResponse<String> reply = send("GET", "/v1/applications/1/sessions?sort=integrationId&pageSize=3",
                MANAGEMENT_KEY, Map.of(), null);

        // then
        Received received = other.received.get();
        assertThat(received.uri()).isEqualTo("/v1/applications/1/sessions?sort=integrationId&pageSize=3");
        assertThat(received.header(QueryRouter.SCOPE)).isEqualTo(QueryRouter.LOCAL_SCOPE);
        assertThat(received.header("Authorization")).isEqualTo(MANAGEMENT_KEY);
        assertThat(other.requests).hasSize(1);
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).startsWith("{\"hasMore\":true,\"data\":[{\"id\":")
                .contains(",{\"id\":7,\"integrationId\":\"s-2\",\"total\":1.10},{\"id\":")
                .contains("\"integrationId\":\"s-1\"", "\"integrationId\":\"s-3\"").doesNotContain("s-4");
    }

    @Test
    void a_deeper_page_asks_the_instances_for_sort_keys_then_each_for_its_rows_of_the_page_only() throws Exception {
        // given: s-1 and s-3 here, s-2 and s-4 on the other instance, which answers keys and windows of its rows
        String s2 = "{\"id\":7,\"integrationId\":\"s-2\",\"total\":1.10}";
        String s4 = "{\"id\":8,\"integrationId\":\"s-4\"}";
        other.answering = request -> switch (String.valueOf(request.header(QueryRouter.SCOPE))) {
            case QueryRouter.KEYS_SCOPE -> Answer.json(200, "{\"hasMore\":false,\"keys\":["
                    + "{\"id\":7,\"integrationId\":\"s-2\"},{\"id\":8,\"integrationId\":\"s-4\"}]}");
            case QueryRouter.WINDOW_SCOPE -> switch (request.header(QueryRouter.WINDOW)) {
                case "0,1" -> Answer.json(200, "{\"hasMore\":true,\"data\":[" + s2 + "]}");
                case "1,1" -> Answer.json(200, "{\"hasMore\":false,\"data\":[" + s4 + "]}");
                default -> Answer.json(500, "{}");
            };
            default -> Answer.json(500, "{}");
        };

        // when: the page [1, 3) of s-1, s-2, s-3, s-4
        HttpResponse<String> reply = send("GET", "/v1/applications/1/sessions?sort=integrationId&pageSize=2&skip=1",
                MANAGEMENT_KEY, Map.of(), null);

        // then: the other instance was asked for its keys, then for its one row of the page
        assertThat(other.requests).extracting(request -> request.header(QueryRouter.SCOPE))
                .containsExactly(QueryRouter.KEYS_SCOPE, QueryRouter.WINDOW_SCOPE);
        assertThat(other.requests.get(1).header(QueryRouter.WINDOW)).isEqualTo("0,1");
        assertThat(other.requests).allSatisfy(request -> assertThat(request.uri())
                .isEqualTo("/v1/applications/1/sessions?sort=integrationId&pageSize=2&skip=1"));
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).startsWith("{\"hasMore\":true,\"data\":[" + s2 + ",{\"id\":")
                .contains("\"integrationId\":\"s-3\"").doesNotContain("s-1", "s-4");
    }

    @Test
    void an_instance_that_holds_no_row_of_a_deeper_page_is_asked_only_for_its_keys() throws Exception {
        // given
        other.answering = request -> Answer.json(200, "{\"hasMore\":false,\"keys\":["
                + "{\"id\":7,\"integrationId\":\"s-2\"},{\"id\":8,\"integrationId\":\"s-4\"}]}");

        // when: the page [2, 3): s-3, held here
        HttpResponse<String> reply = send("GET", "/v1/applications/1/sessions?sort=integrationId&pageSize=1&skip=2",
                MANAGEMENT_KEY, Map.of(), null);

        // then
        assertThat(other.requests).hasSize(1);
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).startsWith("{\"hasMore\":true,\"data\":[{")
                .contains("\"integrationId\":\"s-3\"").doesNotContain("s-1", "s-2", "s-4");
    }

    @Test
    void a_deeper_page_is_gathered_in_one_round_when_an_instance_answers_no_sort_keys() throws Exception {
        // given: an instance of an earlier version answers every request with its first rows (as for local scope)
        other.answer = Answer.json(200, "{\"hasMore\":false,\"data\":["
                + "{\"id\":7,\"integrationId\":\"s-2\"},{\"id\":8,\"integrationId\":\"s-4\"}]}");

        // when: the page [1, 3) of s-1, s-2, s-3, s-4
        HttpResponse<String> reply = send("GET", "/v1/applications/1/sessions?sort=integrationId&pageSize=2&skip=1",
                MANAGEMENT_KEY, Map.of(), null);

        // then: asked for keys, then for its first rows
        assertThat(other.requests).extracting(request -> request.header(QueryRouter.SCOPE))
                .containsExactly(QueryRouter.KEYS_SCOPE, QueryRouter.LOCAL_SCOPE);
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).startsWith("{\"hasMore\":true,\"data\":[{\"id\":7,\"integrationId\":\"s-2\"},{")
                .contains("\"integrationId\":\"s-3\"").doesNotContain("s-1", "s-4");
    }

    @Test
    void a_page_deeper_than_a_page_is_503_while_an_instance_answers_no_sort_keys() throws Exception {
        // given: an instance of an earlier version, which answers no keys
        other.answer = Answer.json(200, "{\"hasMore\":false,\"data\":[]}");

        // when: a page that ends past the first 1000 rows
        HttpResponse<String> reply = send("GET", "/v1/applications/1/sessions?sort=integrationId&pageSize=2&skip=999",
                MANAGEMENT_KEY, Map.of(), null);

        // then: not gathered whole from every instance (each would render its first 1001 rows), and retried later
        assertUnavailable(reply);
        assertThat(other.requests).extracting(request -> request.header(QueryRouter.SCOPE))
                .containsExactly(QueryRouter.KEYS_SCOPE);
    }

    @Test
    void a_listing_repeats_every_row_byte_for_byte_as_its_instance_rendered_it() throws Exception {
        // given: the other instance answers its part laid out its own way, with a field the merge does not know
        String s2 = "{\"id\":7,\"integrationId\":\"s-2\",\"total\":1E+2,"
                + "\"attributes\":{\"note\":\"a \\\"quoted\\\" ], } text\",\"list\":[1,[2.50,{}]]}}";
        String s4 = "{\"id\":8,\"integrationId\":\"s-4\",\"attributes\":{}}";
        other.answer = Answer.json(200, "{\n  \"note\": {\"data\": [\"not the rows\"]},\n  \"data\": [ " + s2
                + " ,\n    " + s4 + "\n  ],\n  \"hasMore\": true\n}");

        // when
        HttpResponse<String> reply = send("GET", "/v1/applications/1/sessions?sort=integrationId&pageSize=4",
                MANAGEMENT_KEY, Map.of(), null);

        // then: the rows of both instances in the listing's order, the other's exactly as it wrote them
        assertThat(reply.statusCode()).isEqualTo(200);
        String body = reply.body();
        assertThat(body).startsWith("{\"hasMore\":true,\"data\":[{").endsWith("}]}")
                .contains(s2 + ",{", "}," + s4 + "]");
        assertThat(body.indexOf("\"s-1\"")).isLessThan(body.indexOf("\"s-2\""));
        assertThat(body.indexOf("\"s-2\"")).isLessThan(body.indexOf("\"s-3\""));
        assertThat(body.indexOf("\"s-3\"")).isLessThan(body.indexOf("\"s-4\""));
        assertThat(body).doesNotContain("not the rows");
    }

    @Test
    void a_profiles_sessions_are_gathered_from_every_instance_in_text_order() throws Exception {
        // given: two sessions of profile p-1 here, two on the other instance
        SessionChanges ofProfile = SessionChanges.NONE.withProfileId("p-1");
        fixture.send(fixture.upsert(new SessionKey(1, "s-5"), Optional.empty(), ofProfile));
        fixture.send(fixture.upsert(new SessionKey(1, "s-7"), Optional.empty(), ofProfile));
        other.answer = Answer.json(200, "{\"integrationIds\": [\"s-4\", \"s-6\"]}");

        // when
        HttpResponse<String> reply = send("GET", "/internal/v1/profiles/p-1/sessions", INTEGRATION_KEY, Map.of(), null);

        // then
        assertThat(other.received.get().header(QueryRouter.SCOPE)).isEqualTo(QueryRouter.LOCAL_SCOPE);
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"integrationIds\":[\"s-4\",\"s-5\",\"s-6\",\"s-7\"]}");
    }

    @Test
    void for_an_erasure_a_session_that_left_the_profile_is_gathered_too_and_other_instances_are_asked_alike()
            throws Exception {
        // given: s-5 left p-1 for p-2, s-7 has p-1; the other instance answers s-4
        fixture.send(fixture.upsert(new SessionKey(1, "s-5"), Optional.empty(),
                SessionChanges.NONE.withProfileId("p-1")));
        fixture.send(fixture.upsert(new SessionKey(1, "s-5"), Optional.empty(),
                SessionChanges.NONE.withProfileId("p-2")));
        fixture.send(fixture.upsert(new SessionKey(1, "s-7"), Optional.empty(),
                SessionChanges.NONE.withProfileId("p-1")));
        other.answer = Answer.json(200, "{\"integrationIds\": [\"s-4\"]}");

        // when
        HttpResponse<String> holding = send("GET", "/internal/v1/profiles/p-1/sessions?include=former",
                INTEGRATION_KEY, Map.of(), null);
        String forwarded = other.received.get().uri();
        HttpResponse<String> current = send("GET", "/internal/v1/profiles/p-1/sessions", INTEGRATION_KEY, Map.of(),
                null);
        HttpResponse<String> unknown = send("GET", "/internal/v1/profiles/p-1/sessions?include=everything",
                INTEGRATION_KEY, Map.of(), null);

        // then
        assertThat(holding.body()).isEqualTo("{\"integrationIds\":[\"s-4\",\"s-5\",\"s-7\"]}");
        assertThat(forwarded).contains("include=former");
        assertThat(current.body()).as("as a session-service before schema v9 asks")
                .isEqualTo("{\"integrationIds\":[\"s-4\",\"s-7\"]}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("include");
    }

    @Test
    void a_local_scope_listing_answers_this_instances_rows_up_to_the_end_of_the_page() throws Exception {
        // when
        HttpResponse<String> reply = send("GET", "/v1/applications/1/sessions?sort=integrationId&pageSize=1&skip=1",
                MANAGEMENT_KEY, Map.of(QueryRouter.SCOPE, QueryRouter.LOCAL_SCOPE), null);

        // then
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).startsWith("{\"hasMore\":false,").contains("\"s-1\"", "\"s-3\"");
        assertThat(other.received.get()).isNull();
    }

    /** A forged scope must not make an instance render every session it holds: unscoped, a deep page sends keys. */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/applications/1/sessions?sort=integrationId&pageSize=1000&skip=1",
            "/v1/applications/1/sessions?skip=2000000000", "/v1/applications/1/events/no_total?skip=1000"})
    void a_local_scope_part_deeper_than_a_page_is_refused(String path) throws Exception {
        // when
        HttpResponse<String> reply = send("GET", path, MANAGEMENT_KEY,
                Map.of(QueryRouter.SCOPE, QueryRouter.LOCAL_SCOPE), null);

        // then
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
        assertThat(reply.body()).contains("at most 1000 rows");
        assertThat(other.received.get()).isNull();
    }

    @Test
    void a_keys_scope_listing_answers_the_sort_keys_of_this_instances_rows_up_to_the_end_of_the_page()
            throws Exception {
        // when
        HttpResponse<String> reply = send("GET", "/v1/applications/1/sessions?sort=integrationId&pageSize=1&skip=1",
                MANAGEMENT_KEY, Map.of(QueryRouter.SCOPE, QueryRouter.KEYS_SCOPE), null);

        // then
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).matches("\\{\"hasMore\":false,\"keys\":\\[\\{\"id\":\\d+,\"integrationId\":\"s-1\"},"
                + "\\{\"id\":\\d+,\"integrationId\":\"s-3\"}]}");
        assertThat(other.received.get()).isNull();
    }

    @Test
    void a_window_scope_listing_answers_that_window_of_this_instances_rows() throws Exception {
        // when
        HttpResponse<String> reply = send("GET", "/v1/applications/1/sessions?sort=integrationId&pageSize=1&skip=1",
                MANAGEMENT_KEY, Map.of(QueryRouter.SCOPE, QueryRouter.WINDOW_SCOPE, QueryRouter.WINDOW, "1,1"), null);
        HttpResponse<String> malformed = send("GET", "/v1/applications/1/sessions", MANAGEMENT_KEY,
                Map.of(QueryRouter.SCOPE, QueryRouter.WINDOW_SCOPE, QueryRouter.WINDOW, "1;x"), null);
        HttpResponse<String> beyondAPage = send("GET", "/v1/applications/1/sessions", MANAGEMENT_KEY,
                Map.of(QueryRouter.SCOPE, QueryRouter.WINDOW_SCOPE, QueryRouter.WINDOW, "0,1001"), null);
        HttpResponse<String> noRow = send("GET", "/v1/applications/1/sessions?sort=total", MANAGEMENT_KEY,
                Map.of(QueryRouter.SCOPE, QueryRouter.WINDOW_SCOPE, QueryRouter.WINDOW, "0,0"), null);
        HttpResponse<String> noEvent = send("GET", "/v1/applications/1/events/no_total", MANAGEMENT_KEY,
                Map.of(QueryRouter.SCOPE, QueryRouter.WINDOW_SCOPE, QueryRouter.WINDOW, "0,0"), null);

        // then
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).startsWith("{\"hasMore\":false,\"data\":[{").contains("\"s-3\"")
                .doesNotContain("\"s-1\"");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains(QueryRouter.WINDOW);
        assertThat(beyondAPage.statusCode()).isEqualTo(400);
        assertThat(beyondAPage.body()).contains("at most 1000 rows");
        assertThat(noRow.statusCode()).as(noRow.body()).isEqualTo(400);
        assertThat(noEvent.statusCode()).as(noEvent.body()).isEqualTo(400);
        assertThat(other.received.get()).isNull();
    }

    @Test
    void a_listing_is_503_when_any_instance_cannot_answer_never_a_partial_page() throws Exception {
        // given
        other.answer = Answer.json(503, "{\"message\":\"rebalancing\"}");

        // when / then
        assertUnavailable(send("GET", "/v1/applications/1/sessions", MANAGEMENT_KEY, Map.of(), null));
        assertUnavailable(send("GET", "/v1/applications/1/events/no_total", MANAGEMENT_KEY, Map.of(), null));
        assertUnavailable(send("GET", "/v1/applications/1/export/events", MANAGEMENT_KEY, Map.of(), null));
    }

    @Test
    void an_export_merges_every_instances_lines_in_creation_order() throws Exception {
        // given: the fixture's sessions are created at T0 (here); the other instance has one before and one after
        other.answer = new Answer(200, "application/x-ndjson", (
                "{\"created\":\"2026-11-01T09:00:00.000Z\",\"integrationId\":\"early\"}\n"
                        + "{\"created\":\"2099-01-01T00:00:00.000Z\",\"integrationId\":\"late\"}\n")
                .getBytes(StandardCharsets.UTF_8));

        // when
        HttpResponse<String> reply = send("GET", "/v1/applications/1/export/sessions", MANAGEMENT_KEY, Map.of(), null);

        // then
        assertThat(other.received.get().header(QueryRouter.SCOPE)).isEqualTo(QueryRouter.LOCAL_SCOPE);
        assertThat(reply.statusCode()).isEqualTo(200);
        List<String> ids = reply.body().lines()
                .map(line -> line.replaceAll(".*\"integrationId\":\"([^\"]*)\".*", "$1")).toList();
        assertThat(ids).containsExactly("early", "s-1", "s-3", "late");
    }

    @Test
    void an_export_fails_when_another_instance_stops_sending_lines_midway_rather_than_hanging() throws Exception {
        // given the other instance sends one line, then nothing more while its connection stays open
        CountDownLatch release = new CountDownLatch(1);
        other.streaming = sendThenHold(release,
                "{\"created\":\"2026-11-01T09:00:00.000Z\",\"integrationId\":\"early\"}\n");
        try {
            // when
            CompletableFuture<HttpResponse<String>> reply = http.sendAsync(
                    request("GET", "/v1/applications/1/export/sessions", MANAGEMENT_KEY, Map.of(), null),
                    HttpResponse.BodyHandlers.ofString());

            // then the transfer fails once a line is later than the answer timeout
            assertThat(reply).failsWithin(Duration.ofSeconds(20)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IOException.class);
        } finally {
            release.countDown();
        }
    }

    /**
     * Each window of an export reads the partitions active when it is read: partitions moved meanwhile to another
     * instance, which nobody asked, are missing from the rest, so the transfer must not end as if it were complete.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void an_export_fails_when_the_group_changes_after_it_started(boolean withOtherInstance) throws Exception {
        // given: the group changes once the export has started (after the checks before its first line)
        other.answer = new Answer(200, "application/x-ndjson",
                "{\"created\":\"2026-11-01T09:00:00.000Z\",\"integrationId\":\"early\"}\n"
                        .getBytes(StandardCharsets.UTF_8));
        List<HostInfo> before = withOtherInstance ? List.of(other.host()) : List.of();
        group.script(KafkaStreams.State.RUNNING, ScriptedGroup.SELF, before);
        List<HostInfo> after = new ArrayList<>(before);
        after.add(new HostInfo("a-new-instance", 1));
        group.changeAfter(2, after);

        // when
        CompletableFuture<HttpResponse<String>> reply = http.sendAsync(
                request("GET", "/v1/applications/1/export/sessions", MANAGEMENT_KEY, Map.of(), null),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(reply).failsWithin(Duration.ofSeconds(20)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IOException.class);
    }

    @Test
    void an_export_is_503_when_another_instance_sends_its_headers_but_no_first_line_in_time() throws Exception {
        // given the other instance answers 200, then sends nothing while its connection stays open
        CountDownLatch release = new CountDownLatch(1);
        other.streaming = sendThenHold(release, "");
        try {
            // when
            HttpResponse<String> reply = send("GET", "/v1/applications/1/export/sessions", MANAGEMENT_KEY, Map.of(),
                    null);

            // then the caller is told to retry, before any line of a partial export
            assertUnavailable(reply);
        } finally {
            release.countDown();
        }
    }

    @Test
    void an_export_the_caller_leaves_midway_stops_reading_the_other_instances_lines() throws Exception {
        // given the other instance streams lines for as long as they are read
        CountDownLatch otherStopped = new CountDownLatch(1);
        other.streaming = exchange -> {
            try (OutputStream out = startNdjson(exchange)) {
                for (int i = 0; i < 10_000_000; i++) {
                    out.write(("{\"created\":\"2099-01-01T00:00:00.000Z\",\"integrationId\":\"s-" + i + "\"}\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                otherStopped.countDown(); // its reader went away
            }
        };
        HttpResponse<InputStream> reply = http.send(
                request("GET", "/v1/applications/1/export/sessions", MANAGEMENT_KEY, Map.of(), null),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body().readNBytes(64 * 1024)).hasSize(64 * 1024);

        // when the caller goes away
        reply.body().close();

        // then the other instance's answer is closed too
        assertThat(otherStopped.await(20, TimeUnit.SECONDS)).isTrue();
    }

    /** A 200 NDJSON answer that sends {@code text}, then holds its connection open until {@code release}. */
    private static HttpHandler sendThenHold(CountDownLatch release, String text) {
        return exchange -> {
            OutputStream out = startNdjson(exchange);
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        };
    }

    /** Starts a 200 NDJSON answer of unknown length (chunked); its lines are then written to the stream. */
    private static OutputStream startNdjson(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void assertUnavailable(HttpResponse<String> reply) {
        assertThat(reply.statusCode()).isEqualTo(503);
        assertThat(reply.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(reply.body()).contains("\"message\"", "\"errors\"");
    }

    private HttpResponse<String> send(String method, String uri, String authorization, Map<String, String> headers,
                                      byte[] body) throws IOException, InterruptedException {
        return http.send(request(method, uri, authorization, headers, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String uri, String authorization, Map<String, String> headers,
                                byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.getURL() + uri))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", authorization);
        headers.forEach(builder::header);
        return builder.build();
    }

    /** The group as the test scripts it: its state, the owner of every key and the other instances. */
    @Singleton
    @Requires(env = ENVIRONMENT)
    @Replaces(StreamsGroup.class)
    static class ScriptedGroup implements StreamsGroup {
        static final HostInfo SELF = new HostInfo("this-instance", 1);

        private volatile KafkaStreams.State state = KafkaStreams.State.RUNNING;
        private volatile HostInfo owner = SELF;
        private volatile List<HostInfo> others = List.of();
        /** Calls of {@link #peers} until the other instances become {@link #othersLater}; negative: never. */
        private final AtomicInteger callsUntilChange = new AtomicInteger(-1);
        private volatile List<HostInfo> othersLater = List.of();

        void script(KafkaStreams.State state, HostInfo owner, List<HostInfo> others) {
            this.state = state;
            this.owner = owner;
            this.others = others;
            this.callsUntilChange.set(-1);
        }

        /** After {@code calls} more calls of {@link #peers}, the group's other instances are {@code others}. */
        void changeAfter(int calls, List<HostInfo> others) {
            this.othersLater = others;
            this.callsUntilChange.set(calls);
        }

        @Override
        public Routing.Route ownerOfKey(String store, String key, boolean forwarded) {
            return Routing.route(state, new KeyQueryMetadata(owner, Set.of(), 0), SELF, forwarded);
        }

        @Override
        public Routing.Route ownerOfPartition(String store, int partition, boolean forwarded) {
            return ownerOfKey(store, "", forwarded);
        }

        @Override
        public Routing.Peers peers() {
            if (callsUntilChange.getAndUpdate(left -> left < 0 ? left : left - 1) == 0) {
                others = othersLater;
            }
            return state == KafkaStreams.State.RUNNING
                    ? new Routing.Peers.Available(others, Map.of())
                    : new Routing.Peers.Unavailable("scripted: " + state);
        }
    }
}
