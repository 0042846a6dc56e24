package io.customersessions.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small built-in checkout: drives a few hundred customer sessions through their life cycle against the
 * session-service over real HTTP, the way a shop's checkout would (Talon.One's
 * {@code PUT /v2/customer_sessions/{id}}, with the development Integration API key). It is the demo and a smoke
 * test, not a benchmark: phases run one after the other (open all, update most, close ~60 % with an {@code
 * Idempotency-Key} each, send one close again with its key as a retrying checkout would, cancel ~20 % of the still
 * open ones, revoke a few closed ones, and try a forbidden change on a few cancelled ones, which must answer 409).
 * After the checkout come the after-sales: returns of a few closed sessions ({@code POST .../returns} with an
 * {@code Idempotency-Key}), reopening of a few others ({@code PUT .../reopen}), and finally one return sent again
 * with the same key, which must be answered as the first one was.
 *
 * <p>The random choices come from a fixed seed, so every run has the same shape; only the session ids differ
 * (they embed the run id), so runs on the same data directory never collide.
 */
public final class DemoTraffic {

    private static final long SEED = 20240601L;
    private static final int IN_FLIGHT = 16;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Product(String name, String sku, String price, String category) {
    }

    private static final List<Product> CATALOG = List.of(
            new Product("Trail running shoes", "SHOE-TRAIL-42", "89.95", "shoes"),
            new Product("Merino socks", "SOCK-MERINO-M", "12.99", "apparel"),
            new Product("Rain jacket", "JACKET-RAIN-L", "129.00", "apparel"),
            new Product("Water bottle 0.75 l", "BOTTLE-075", "19.50", "accessories"),
            new Product("Headlamp", "LAMP-HEAD-300", "34.90", "accessories"),
            new Product("Energy bars, box of 12", "BAR-BOX-12", "23.88", "food"),
            new Product("Backpack 20 l", "PACK-20", "74.00", "bags"),
            new Product("Sunglasses", "SUN-CAT3", "59.95", "accessories"));
    private static final List<String> CITIES = List.of("Berlin", "Hamburg", "Munich", "Vienna", "Zurich", "Amsterdam");
    private static final List<String> COUPONS = List.of("SUMMER10", "FREESHIP", "WELCOME5");

    /** The development Integration API key of the embedded default (application 1). */
    static final String AUTHORIZATION = "ApiKey-v1 dev-integration-key-0001";

    /**
     * One request to {@code /v2/customer_sessions/{sessionId}{pathSuffix}}. {@code expectConflict}: the state
     * machine must refuse it (409); otherwise it must succeed (200). {@code idempotencyKey} may be null.
     */
    record Request(String method, String sessionId, String pathSuffix, String body, String idempotencyKey,
                   boolean expectConflict) {

        /** A session update (Talon.One's IntegrationRequest). */
        static Request update(String sessionId, String body, boolean expectConflict) {
            return new Request("PUT", sessionId, "", body, null, expectConflict);
        }

        Request withIdempotencyKey(String key) {
            return new Request(method, sessionId, pathSuffix, body, key, expectConflict);
        }

        String path() {
            return "/v2/customer_sessions/" + sessionId + pathSuffix;
        }
    }

    /**
     * The requests, grouped in phases that run one after the other: {@code phases} are the checkout's updates,
     * {@code afterSales} the returns and reopens that follow; {@code exampleSessionId} is a closed session.
     */
    record Plan(List<List<Request>> phases, List<List<Request>> afterSales, String exampleSessionId) {

        int requests() {
            return all().stream().mapToInt(List::size).sum();
        }

        List<List<Request>> all() {
            List<List<Request>> all = new ArrayList<>(phases);
            all.addAll(afterSales);
            return all;
        }
    }

    public record Summary(int sessions, int requests, SortedMap<String, Integer> byStatus, int unexpected,
                          List<String> unexpectedExamples, Duration elapsed, String exampleSessionId) {

        public double requestsPerSecond() {
            return requests / Math.max(0.001, elapsed.toMillis() / 1000.0);
        }

        /** A few lines for the console. */
        public String report() {
            StringBuilder report = new StringBuilder()
                    .append(String.format("demo checkout: %d sessions, %d requests in %.1f s (%.0f requests/s)%n",
                            sessions, requests, elapsed.toMillis() / 1000.0, requestsPerSecond()))
                    .append("  responses by status: ").append(byStatus).append(System.lineSeparator());
            if (unexpected == 0) {
                report.append("  every response was the expected one (the 409s are the deliberately forbidden changes;"
                        + " a retried close, returns, a repeated return and reopens included)");
            } else {
                report.append("  ").append(unexpected).append(" unexpected responses, for example:");
                unexpectedExamples.forEach(example ->
                        report.append(System.lineSeparator()).append("    ").append(example));
            }
            return report.toString();
        }
    }

    private DemoTraffic() {
    }

    /** Runs the demo against {@code sessionServiceUrl} (e.g. {@code http://localhost:8080}); waits for every answer. */
    public static Summary run(String sessionServiceUrl, String runId, int sessions) {
        Plan plan = plan(runId, sessions, new Random(SEED));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> firstAnswers = new ConcurrentHashMap<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        long started = System.nanoTime();
        for (List<Request> phase : plan.all()) {
            List<CompletableFuture<Void>> answers = new ArrayList<>();
            for (Request request : phase) {
                inFlight.acquireUninterruptibly();
                answers.add(http.sendAsync(httpRequest(sessionServiceUrl, request),
                                HttpResponse.BodyHandlers.ofString())
                        .handle((response, failure) -> {
                            inFlight.release();
                            String status = failure == null ? String.valueOf(response.statusCode()) : "no answer";
                            byStatus.computeIfAbsent(status, any -> new LongAdder()).increment();
                            if (failure != null) {
                                unexpected.add(describe(request, status, failure.toString()));
                            } else if (!asExpected(request, response.statusCode())) {
                                unexpected.add(describe(request, status, response.body()));
                            } else {
                                sameAsFirst(request, response, firstAnswers).ifPresent(unexpected::add);
                            }
                            return null;
                        }));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        SortedMap<String, Integer> counts = new TreeMap<>();
        byStatus.forEach((status, count) -> counts.put(status, count.intValue()));
        List<String> examples = List.copyOf(unexpected.subList(0, Math.min(5, unexpected.size())));
        return new Summary(sessions, plan.requests(), counts, unexpected.size(), examples, elapsed,
                plan.exampleSessionId());
    }

    /** 200, or 409 where refused; a 202 (accepted, its outcome not known in time) is not the demo's answer. */
    private static boolean asExpected(Request request, int status) {
        return status == (request.expectConflict() ? 409 : 200);
    }

    /**
     * A request sent again with an Idempotency-Key it was already answered with must get the very same answer (the
     * first, remembered; not applied twice): the reason, if it did not.
     */
    private static Optional<String> sameAsFirst(Request request, HttpResponse<String> response,
                                                Map<String, String> firstAnswers) {
        if (request.idempotencyKey() == null) {
            return Optional.empty();
        }
        String answer = response.statusCode() + " " + response.body();
        String sent = request.method() + " " + request.path() + " " + request.idempotencyKey();
        String first = firstAnswers.putIfAbsent(sent, answer);
        if (first == null || first.equals(answer)) {
            return Optional.empty();
        }
        return Optional.of(request.method() + " " + request.path() + " sent again with its Idempotency-Key -> "
                + shorten(answer) + " (expected the first answer: " + shorten(first) + ")");
    }

    private static String shorten(String answer) {
        return answer.length() > 200 ? answer.substring(0, 200) + "…" : answer;
    }

    private static String describe(Request request, String status, String answer) {
        String expected = request.expectConflict() ? "409" : "200";
        return request.method() + " " + request.path() + " -> " + status + " (expected " + expected + "): "
                + shorten(answer);
    }

    private static HttpRequest httpRequest(String baseUrl, Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + request.path()))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", AUTHORIZATION)
                .header("Content-Type", "application/json")
                .method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()));
        if (request.idempotencyKey() != null) {
            builder.header("Idempotency-Key", request.idempotencyKey());
        }
        return builder.build();
    }

    /** A session as the demo checkout knows it; each phase sends the whole session with its new state. */
    private static final class Session {
        final String id;
        final String profileId;
        final List<ObjectNode> cart = new ArrayList<>();
        final ObjectNode extras = JSON.createObjectNode();
        String state = "open";

        Session(String id, String profileId) {
            this.id = id;
            this.profileId = profileId;
        }

        Request request(boolean expectConflict) {
            ObjectNode session = JSON.createObjectNode();
            if (profileId != null) {
                session.put("profileId", profileId);
            }
            session.put("state", state);
            ArrayNode items = session.putArray("cartItems");
            cart.forEach(items::add);
            session.setAll(extras.deepCopy());
            ObjectNode body = JSON.createObjectNode();
            body.set("customerSession", session);
            body.putArray("responseContent").add("customerSession");
            return Request.update(id, body.toString(), expectConflict);
        }
    }

    /** The whole run, decided up front from {@code random}: same seed, same shape. */
    static Plan plan(String runId, int sessions, Random random) {
        List<Session> all = new ArrayList<>();
        int profiles = Math.max(1, sessions / 3); // so most customers have several sessions
        for (int n = 1; n <= sessions; n++) {
            String profileId = random.nextInt(100) < 15 ? null : "customer-" + (1 + random.nextInt(profiles));
            Session session = new Session("demo-" + runId + "-" + n, profileId);
            int items = 1 + random.nextInt(5);
            for (int i = 0; i < items; i++) {
                session.cart.add(cartItem(CATALOG.get(random.nextInt(CATALOG.size())), 1 + random.nextInt(3)));
            }
            if (random.nextInt(100) < 25) {
                session.extras.putArray("couponCodes").add(COUPONS.get(random.nextInt(COUPONS.size())));
            }
            if (random.nextInt(100) < 10) {
                session.extras.put("referralCode",
                        "REF-" + Integer.toString(1000 + random.nextInt(9000), 36).toUpperCase());
            }
            session.extras.putObject("attributes")
                    .put("shippingCity", CITIES.get(random.nextInt(CITIES.size())))
                    .put("channel", random.nextBoolean() ? "web" : "app");
            if (random.nextInt(100) < 70) {
                session.extras.putObject("additionalCosts").putObject("shipping").put("price", new BigDecimal("4.95"));
            }
            all.add(session);
        }

        List<Request> open = all.stream().map(session -> session.request(false)).toList();

        List<Request> updates = new ArrayList<>();
        for (Session session : all) {
            if (random.nextInt(100) < 80) {
                updateCart(session, random);
                updates.add(session.request(false));
            }
        }

        List<Request> closes = new ArrayList<>();
        List<Session> closed = new ArrayList<>();
        List<Session> stillOpen = new ArrayList<>();
        for (Session session : all) {
            if (random.nextInt(100) < 60) {
                session.state = "closed";
                closes.add(session.request(false).withIdempotencyKey("demo-" + runId + "-close-" + session.id));
                closed.add(session);
            } else {
                stillOpen.add(session);
            }
        }

        List<Request> cancels = new ArrayList<>();
        List<Session> cancelled = new ArrayList<>();
        for (Session session : stillOpen) {
            if (random.nextInt(100) < 20) {
                session.state = "cancelled";
                cancels.add(session.request(false));
                cancelled.add(session);
            }
        }

        // Revoking a closed session (a refund of the whole order) is a cancel with unchanged content.
        List<Request> revokes = new ArrayList<>();
        for (Session session : closed.subList(0, Math.min(closed.size(), Math.max(1, closed.size() / 20)))) {
            session.state = "cancelled";
            revokes.add(session.request(false));
            cancelled.add(session);
        }

        // Cancelled is final: trying to reopen one with a new cart must be refused.
        List<Request> forbidden = new ArrayList<>();
        for (Session session : cancelled.subList(0, Math.min(cancelled.size(), 5))) {
            session.state = "open";
            updateCart(session, random);
            forbidden.add(session.request(true));
        }

        String example = closed.stream().filter(session -> session.state.equals("closed")).findFirst()
                .orElse(all.get(0)).id;
        // A checkout that did not get a close's answer sends it again with its key: answered as the first, once.
        List<Request> retriedClose = closes.isEmpty() ? List.of() : List.of(closes.get(0));
        return new Plan(List.of(open, updates, closes, retriedClose, cancels, revokes, forbidden),
                afterSales(runId, closed, example), example);
    }

    /**
     * Returns of one unit of the first item of ~10 % of the closed sessions, each with its own Idempotency-Key;
     * reopening of ~5 % others; then the first return again with the same key and body, which must succeed without
     * returning a second unit. The example session is left closed.
     */
    private static List<List<Request>> afterSales(String runId, List<Session> closed, String example) {
        List<Session> candidates = closed.stream()
                .filter(session -> session.state.equals("closed") && !session.id.equals(example))
                .toList();
        int returns = Math.min(candidates.size(), Math.max(1, closed.size() / 10));
        int reopens = Math.min(candidates.size() - returns, Math.max(1, closed.size() / 20));
        List<Request> firstRound = new ArrayList<>();
        for (Session session : candidates.subList(0, returns)) {
            session.state = "partially_returned";
            firstRound.add(new Request("POST", session.id, "/returns",
                    "{\"return\": {\"returnedCartItems\": [{\"position\": 0, \"quantity\": 1}]}}",
                    "demo-" + runId + "-return-" + session.id, false));
        }
        for (Session session : candidates.subList(returns, returns + reopens)) {
            session.state = "open";
            firstRound.add(new Request("PUT", session.id, "/reopen", "", null, false));
        }
        List<Request> repeated = firstRound.stream().filter(request -> request.idempotencyKey() != null)
                .limit(1).toList();
        return repeated.isEmpty() ? List.of(firstRound) : List.of(firstRound, repeated);
    }

    /** The shopper changes the quantity of one item, or adds one when the cart has room. */
    private static void updateCart(Session session, Random random) {
        if (session.cart.size() < 5 && random.nextBoolean()) {
            session.cart.add(cartItem(CATALOG.get(random.nextInt(CATALOG.size())), 1));
        } else {
            ObjectNode item = session.cart.get(random.nextInt(session.cart.size()));
            item.put("quantity", 1 + (item.get("quantity").asInt() % 3));
        }
    }

    private static ObjectNode cartItem(Product product, int quantity) {
        ObjectNode item = JSON.createObjectNode();
        item.put("name", product.name());
        item.put("sku", product.sku());
        item.put("quantity", quantity);
        item.put("price", new BigDecimal(product.price()));
        item.put("category", product.category());
        return item;
    }
}
