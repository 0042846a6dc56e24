package io.customersessions.projector.routing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.customersessions.api.RejectionResponses;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionKey;
import io.customersessions.projector.query.ListingQuery;
import io.customersessions.projector.query.SortedMerge;
import io.customersessions.projector.query.StoreUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.state.HostInfo;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Routes the query API's reads across the instances of the Kafka Streams group ({@link StreamsGroup}).
 *
 * <ul>
 *   <li>A read of one session is answered by the instance where the session's partition of the store it reads is
 *   active: here, or forwarded there over HTTP (marked {@value #FORWARDED}, so a forwarded request is answered
 *   where it arrives or not at all, never forwarded again).</li>
 *   <li>A listing that spans partitions is gathered from every instance: each answers the same request restricted to
 *   its own partitions (marked {@value #SCOPE}{@code : }{@value #LOCAL_SCOPE}), and the parts are merged in the
 *   listing's order ({@link PageMerge}).</li>
 * </ul>
 * Whenever the answer could be wrong or partial — the group rebalancing, an owner unknown or unreachable, the group
 * changing while a listing is gathered — it is a {@link StoreUnavailableException} (503 with Retry-After).
 */
@Singleton
public class QueryRouter {

    /** Set on a request one instance forwards to another; its value is the sender. */
    public static final String FORWARDED = "X-Customer-Sessions-Forwarded";
    /** {@value #LOCAL_SCOPE}: answer a listing from this instance's partitions only (a part of a scatter-gather). */
    public static final String SCOPE = "X-Customer-Sessions-Scope";
    public static final String LOCAL_SCOPE = "local";
    /** Scope {@value #KEYS_SCOPE}: this instance's first rows of a page as their sort keys, {@code {"keys": [...]}}. */
    public static final String KEYS_SCOPE = "keys";
    /** Scope {@value #WINDOW_SCOPE}: the window of this instance's own rows that {@value #WINDOW} names. */
    public static final String WINDOW_SCOPE = "window";
    /** With scope {@value #WINDOW_SCOPE}: {@code <skip>,<rows>}. */
    public static final String WINDOW = "X-Customer-Sessions-Window";

    private final StreamsGroup group;
    private final Forwarder forwarder;
    private final JsonMapper micronautJson;
    private final ObjectMapper json = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public QueryRouter(StreamsGroup group, Forwarder forwarder, JsonMapper micronautJson) {
        this.group = group;
        this.forwarder = forwarder;
        this.micronautJson = micronautJson;
    }

    /**
     * Answers a read of session {@code key} in {@code store} with {@code local} where the key is active, forwarding
     * the request (with {@code body}, may be null) otherwise. A local answer is kept only if the key was still
     * owned here after it was computed: a partition that moved away meanwhile would have answered "not found".
     */
    public HttpResponse<?> byKey(String store, SessionKey key, HttpRequest<?> request, byte[] body,
                                 Supplier<HttpResponse<?>> local) {
        return answer(forwarded -> group.ownerOfKey(store, key.asString(), forwarded), request, body, local);
    }

    /** As {@link #byKey}, for a read of one partition of {@code store} (the Management API's numeric id names one). */
    public HttpResponse<?> byPartition(String store, int partition, HttpRequest<?> request,
                                       Supplier<HttpResponse<?>> local) {
        return answer(forwarded -> group.ownerOfPartition(store, partition, forwarded), request, null, local);
    }

    private HttpResponse<?> answer(Function<Boolean, Routing.Route> route, HttpRequest<?> request,
                                   byte[] body, Supplier<HttpResponse<?>> local) {
        boolean forwarded = request.getHeaders().contains(FORWARDED);
        Routing.Route where = route.apply(forwarded);
        if (where instanceof Routing.Route.Forward forward) {
            return forwarder.forward(forward.owner(), request, body, FORWARDED, "forwarded");
        }
        if (where instanceof Routing.Route.Unavailable unavailable) {
            throw new StoreUnavailableException(unavailable.reason());
        }
        HttpResponse<?> answer = local.get();
        if (!(route.apply(true) instanceof Routing.Route.Local)) {
            throw new StoreUnavailableException("the key's partition moved while it was read");
        }
        return answer;
    }

    /**
     * A page of a listing across all partitions, {@code {"hasMore": …, "data": [...]}}. {@code rows} gives a window
     * of this instance's own rows in {@code order} (any JSON-serializable rows), and {@code keys} the same window's
     * sort keys alone: for each row a JSON object with the fields {@code order} reads, as the row renders them.
     * <ul>
     *   <li>With no other instance in the group the page is {@code rows}' own window {@code [skip, skip +
     *   pageSize)}: the rows before it are skipped where they are read, never mapped or rendered.</li>
     *   <li>A first page ({@code skip} 0) is gathered in one round: every instance answers its first {@code
     *   pageSize} rows rendered ({@value #LOCAL_SCOPE} scope) and the page is their merge ({@link PageMerge#page}).
     *   </li>
     *   <li>A deeper page takes two rounds, so that only its own rows are rendered and sent: every instance answers
     *   the sort keys of its first {@code skip + pageSize} rows ({@value #KEYS_SCOPE}: keys only, no row is
     *   rendered or held); their merge tells which of each instance's rows make the page ({@link PageMerge#plan});
     *   each instance that holds some, this one included, reads and renders those rows ({@value #WINDOW_SCOPE},
     *   with {@value #WINDOW}), and the page is their merge. A row written between the two rounds can move a window
     *   by a row, as it can between two page requests. An instance that answers no keys (an earlier version, during
     *   a rolling upgrade) gets the page gathered in one round, if it ends within a page's rows (else 503).</li>
     * </ul>
     * A request in one of those scopes is answered from this instance's partitions only; the {@value #LOCAL_SCOPE}
     * and {@value #WINDOW_SCOPE} scopes render at most a page's rows ({@link ListingQuery#MAX_PAGE_SIZE}), so a forged
     * header cannot make an instance render more than an unscoped request could.
     */
    public HttpResponse<?> page(HttpRequest<?> request, int skip, int pageSize, Comparator<JsonNode> order,
                                Function<PageMerge.Window, PageMerge.Part<JsonNode>> keys,
                                Function<PageMerge.Window, PageMerge.Part<?>> rows) {
        Routing.Peers.Available before = peers();
        String scope = request.getHeaders().get(SCOPE);
        PageMerge.Window first = PageMerge.Window.upToEndOf(skip, pageSize);
        PageMerge.Part<Row> answer;
        String field = "data";
        if (KEYS_SCOPE.equals(scope)) {
            answer = keyRows(keys.apply(first));
            field = "keys";
        } else if (WINDOW_SCOPE.equals(scope)) {
            Optional<PageMerge.Window> window = window(request);
            if (window.isEmpty()) {
                return RejectionResponses.response(Rejection.of(Rejection.Reason.INVALID_INPUT, "the header " + WINDOW
                        + " must be <skip>,<rows> with scope " + WINDOW_SCOPE + ", at most "
                        + ListingQuery.MAX_PAGE_SIZE + " rows, at least 1"));
            }
            answer = rendered(rows.apply(window.get()));
        } else if (LOCAL_SCOPE.equals(scope)) {
            if ((long) skip + pageSize > ListingQuery.MAX_PAGE_SIZE) {
                return RejectionResponses.response(Rejection.of(Rejection.Reason.INVALID_INPUT, "scope "
                        + LOCAL_SCOPE + " answers at most " + ListingQuery.MAX_PAGE_SIZE
                        + " rows (skip + pageSize); deeper parts are gathered by their keys"));
            }
            answer = rendered(rows.apply(first));
        } else if (before.others().isEmpty()) {
            answer = rendered(rows.apply(new PageMerge.Window(skip, pageSize)));
        } else if (skip == 0) {
            answer = inOneRound(request, before, skip, pageSize, order, () -> rows.apply(first));
        } else {
            answer = inTwoRounds(request, before, skip, pageSize, order, keys, rows);
        }
        unchangedSince(before);
        return json(answer.hasMore(), field, answer.rows());
    }

    /** Every instance's first rows, rendered ({@value #LOCAL_SCOPE} scope), merged into the page. */
    private PageMerge.Part<Row> inOneRound(HttpRequest<?> request, Routing.Peers.Available before, int skip,
                                           int pageSize, Comparator<JsonNode> order,
                                           Supplier<PageMerge.Part<?>> ownFirst) {
        List<PageMerge.Part<Row>> parts = gather(request, before, ownFirst, "data");
        return PageMerge.page(parts, Row.inOrder(order), skip, pageSize);
    }

    private PageMerge.Part<Row> inTwoRounds(HttpRequest<?> request, Routing.Peers.Available before, int skip,
                                            int pageSize, Comparator<JsonNode> order,
                                            Function<PageMerge.Window, PageMerge.Part<JsonNode>> keys,
                                            Function<PageMerge.Window, PageMerge.Part<?>> rows) {
        List<HostInfo> others = before.others();
        List<CompletableFuture<java.net.http.HttpResponse<byte[]>>> askedKeys = others.stream()
                .map(peer -> forwarder.ask(peer, request, SCOPE, KEYS_SCOPE))
                .toList();
        PageMerge.Window first = PageMerge.Window.upToEndOf(skip, pageSize);
        List<PageMerge.Part<Row>> sortKeys = new ArrayList<>();
        sortKeys.add(keyRows(keys.apply(first)));
        try {
            for (int i = 0; i < others.size(); i++) {
                sortKeys.add(part(others.get(i), askedKeys.get(i), "keys"));
            }
        } catch (NoSortKeys earlierVersion) {
            if ((long) skip + pageSize > ListingQuery.MAX_PAGE_SIZE) {
                throw new StoreUnavailableException("an instance of an earlier version answers no sort keys (a rolling"
                        + " upgrade), and a page deeper than " + ListingQuery.MAX_PAGE_SIZE
                        + " rows is not gathered whole; retry once every instance runs this version");
            }
            return inOneRound(request, before, skip, pageSize, order, () -> rows.apply(first));
        }
        PageMerge.Plan plan = PageMerge.plan(sortKeys, Row.inOrder(order), skip, pageSize);
        List<CompletableFuture<java.net.http.HttpResponse<byte[]>>> askedRows = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            PageMerge.Window window = plan.windows().get(i + 1);
            askedRows.add(window.pageSize() == 0 ? null : forwarder.ask(others.get(i), request,
                    Map.of(SCOPE, WINDOW_SCOPE, WINDOW, window.skip() + "," + window.pageSize())));
        }
        List<PageMerge.Part<Row>> parts = new ArrayList<>();
        PageMerge.Window own = plan.windows().get(0);
        if (own.pageSize() > 0) {
            parts.add(rendered(rows.apply(own)));
        }
        for (int i = 0; i < others.size(); i++) {
            if (askedRows.get(i) != null) {
                parts.add(part(others.get(i), askedRows.get(i), "data"));
            }
        }
        PageMerge.Part<Row> page = PageMerge.page(parts, Row.inOrder(order), 0, pageSize);
        return new PageMerge.Part<>(page.rows(), plan.hasMore());
    }

    /**
     * The window a {@value #WINDOW_SCOPE} request asks for ({@value #WINDOW}: {@code <skip>,<rows>}). The rows of a
     * window are part of one page, so a window holds at most a page's rows: a forged header cannot make an instance
     * render more than an unscoped request could.
     */
    private static Optional<PageMerge.Window> window(HttpRequest<?> request) {
        String window = request.getHeaders().get(WINDOW);
        String[] bounds = window == null ? new String[0] : window.split(",", -1);
        try {
            if (bounds.length == 2 && Integer.parseInt(bounds[0]) >= 0 && Integer.parseInt(bounds[1]) >= 1
                    && Integer.parseInt(bounds[1]) <= ListingQuery.MAX_PAGE_SIZE) {
                return Optional.of(new PageMerge.Window(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])));
            }
        } catch (NumberFormatException e) {
            // not a window
        }
        return Optional.empty();
    }

    /** This instance's sort keys, as rows to merge. */
    private PageMerge.Part<Row> keyRows(PageMerge.Part<JsonNode> keys) {
        return new PageMerge.Part<>(keys.rows().stream().map(tree -> {
            try {
                return new Row(json.writeValueAsBytes(tree), json, tree);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList(), keys.hasMore());
    }

    /**
     * This instance's part (first) and, unless the request is itself a part (local scope), every other instance's:
     * a JSON object with the rows in the array {@code field} and {@code hasMore}.
     */
    private List<PageMerge.Part<Row>> gather(HttpRequest<?> request, Routing.Peers.Available before,
                                             Supplier<PageMerge.Part<?>> localPart, String field) {
        List<HostInfo> others = isLocalScope(request) ? List.of() : before.others();
        List<CompletableFuture<java.net.http.HttpResponse<byte[]>>> asked = others.stream()
                .map(peer -> forwarder.ask(peer, request, SCOPE, LOCAL_SCOPE))
                .toList();
        List<PageMerge.Part<Row>> parts = new ArrayList<>();
        parts.add(rendered(localPart.get()));
        for (int i = 0; i < asked.size(); i++) {
            parts.add(part(others.get(i), asked.get(i), field));
        }
        unchangedSince(before);
        return parts;
    }

    /**
     * Every row of a set spread across partitions, e.g. the sessions of one profile: {@code {"<field>": [...]}} with
     * this instance's {@code localRows} and every other instance's (same request, local scope), in {@code order}.
     */
    public HttpResponse<?> all(HttpRequest<?> request, String field, Comparator<JsonNode> order,
                               Supplier<List<?>> localRows) {
        Supplier<PageMerge.Part<?>> rows = () -> new PageMerge.Part<>(localRows.get(), false);
        Routing.Peers.Available before = peers();
        List<PageMerge.Part<Row>> parts = gather(request, before, rows, field);
        return json(null, field, PageMerge.page(parts, Row.inOrder(order), 0, Integer.MAX_VALUE).rows());
    }

    /**
     * NDJSON lines across all partitions, merged in {@code order}: {@code localLines} are this instance's, in that
     * order; the others' are read while the merge is consumed. Every instance must answer before the first line (a
     * 503 otherwise); one that fails later, or sends no line within the answer timeout, fails the transfer. With no
     * other instance the local lines are the answer as they are: nothing is parsed. The group changing before the
     * last line also fails the transfer ({@link #unchangedAtEnd}). Closing the stream (the caller
     * went away, say) closes the other instances' answers, so that they stop producing lines nobody reads.
     */
    public Stream<String> lines(HttpRequest<?> request, Comparator<JsonNode> order,
                                Supplier<Iterator<String>> localLines) {
        Routing.Peers.Available before = peers();
        if (isLocalScope(request)) {
            return stream(unchangedAtEnd(localLines.get(), before));
        }
        if (before.others().isEmpty()) {
            Iterator<String> local = localLines.get();
            unchangedSince(before);
            return stream(unchangedAtEnd(local, before));
        }
        List<InputStream> opened = new ArrayList<>();
        Runnable closeOpened = () -> opened.forEach(QueryRouter::closeQuietly);
        try {
            for (HostInfo peer : before.others()) {
                java.net.http.HttpResponse<InputStream> answer = forwarder.streamed(peer, request, SCOPE, LOCAL_SCOPE);
                opened.add(answer.body());
                if (answer.statusCode() != 200) {
                    throw new StoreUnavailableException("the instance " + peer + " answered " + answer.statusCode());
                }
            }
            List<Iterator<Line>> sources = new ArrayList<>();
            sources.add(parsed(localLines.get()));
            for (int i = 0; i < opened.size(); i++) {
                InputStream body = opened.get(i);
                Iterator<String> lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))
                        .lines().iterator();
                sources.add(parsed(new LineDeadline(lines, body, forwarder.answerTimeout(),
                        "the instance " + before.others().get(i))));
            }
            unchangedSince(before);
            Iterator<Line> merged = SortedMerge.of(sources, Comparator.comparing(Line::row, order));
            return stream(unchangedAtEnd(new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return merged.hasNext();
                }

                @Override
                public String next() {
                    return merged.next().text();
                }
            }, before)).onClose(closeOpened);
        } catch (UncheckedIOException e) { // reading an instance's answer failed or timed out: retry (503)
            closeOpened.run();
            throw new StoreUnavailableException("an instance sent no first line: " + e.getMessage());
        } catch (RuntimeException e) {
            closeOpened.run();
            throw e;
        }
    }

    /**
     * {@code lines}, checked once they end: each window of an export is read from the partitions active at that moment,
     * so partitions that moved to another instance meanwhile (which nobody asked) are missing from the later windows.
     * The export then fails (its last line is not followed by a normal end) rather than end as if complete.
     */
    private Iterator<String> unchangedAtEnd(Iterator<String> lines, Routing.Peers.Available before) {
        return new Iterator<>() {
            private boolean checked;

            @Override
            public boolean hasNext() {
                boolean more = lines.hasNext();
                if (!more && !checked) {
                    checked = true;
                    unchangedSince(before);
                }
                return more;
            }

            @Override
            public String next() {
                return lines.next();
            }
        };
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // the answer is abandoned either way
        }
    }

    /** Lines read while the stream is consumed, one at a time. */
    private static Stream<String> stream(Iterator<String> lines) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(lines, Spliterator.ORDERED), false);
    }

    private static boolean isLocalScope(HttpRequest<?> request) {
        return LOCAL_SCOPE.equals(request.getHeaders().get(SCOPE));
    }

    private Routing.Peers.Available peers() {
        Routing.Peers peers = group.peers();
        if (peers instanceof Routing.Peers.Unavailable unavailable) {
            throw new StoreUnavailableException(unavailable.reason());
        }
        return (Routing.Peers.Available) peers;
    }

    /** A part gathered while partitions moved could miss rows or hold them twice. */
    private void unchangedSince(Routing.Peers.Available before) {
        if (!Objects.equals(group.peers(), before)) {
            throw new StoreUnavailableException("the group rebalanced while the listing was gathered");
        }
    }

    private PageMerge.Part<Row> part(HostInfo peer, CompletableFuture<java.net.http.HttpResponse<byte[]>> asked,
                                     String field) {
        java.net.http.HttpResponse<byte[]> answer;
        try {
            answer = asked.get(forwarder.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while asking " + peer);
        } catch (ExecutionException | TimeoutException e) {
            throw new StoreUnavailableException("the instance " + peer + " did not answer: " + e.getMessage());
        }
        if (answer.statusCode() != 200) {
            throw new StoreUnavailableException("the instance " + peer + " answered " + answer.statusCode());
        }
        try {
            return split(answer.body(), field);
        } catch (NoSortKeys e) {
            throw e;
        } catch (IOException e) {
            throw new StoreUnavailableException("the instance " + peer + " answered no page: " + e.getMessage());
        }
    }

    /** An answer to a {@value #KEYS_SCOPE} request without keys: from an instance of an earlier version. */
    private static final class NoSortKeys extends RuntimeException {
        NoSortKeys() {
            super("no sort keys", null, false, false);
        }
    }

    /** The rows in the array {@code field} of the JSON object {@code page}, each as its bytes there; its hasMore. */
    private PageMerge.Part<Row> split(byte[] page, String field) throws IOException {
        List<Row> rows = new ArrayList<>();
        boolean hasMore = false;
        boolean found = false;
        try (JsonParser parser = json.getFactory().createParser(page)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(field) && value == JsonToken.START_ARRAY) {
                    found = true;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        int start = Math.toIntExact(parser.currentTokenLocation().getByteOffset());
                        parser.skipChildren(); // an object or array: to its end; a scalar is one token
                        parser.finishToken(); // a scalar read in full, so the location is past its end
                        int end = Math.toIntExact(parser.currentLocation().getByteOffset());
                        rows.add(new Row(Arrays.copyOfRange(page, start, end), json));
                    }
                } else if (name.equals("hasMore")) {
                    hasMore = parser.getValueAsBoolean();
                } else {
                    parser.skipChildren();
                }
            }
        }
        if (!found && field.equals("keys")) {
            throw new NoSortKeys();
        }
        return new PageMerge.Part<>(rows, hasMore);
    }

    /** This instance's rows, rendered as its API renders them. */
    private PageMerge.Part<Row> rendered(PageMerge.Part<?> rows) {
        return new PageMerge.Part<>(rows.rows().stream().map(row -> {
            try {
                return new Row(micronautJson.writeValueAsBytes(row), json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList(), rows.hasMore());
    }

    /** {@code {"hasMore": …, "<field>": [...]}} (without {@code hasMore} when null), each row as rendered. */
    private static HttpResponse<?> json(Boolean hasMore, String field, List<Row> rows) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 + rows.stream().mapToInt(Row::size).sum());
        String head = "{" + (hasMore == null ? "" : "\"hasMore\":" + hasMore + ",") + "\"" + field + "\":[";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(rows.get(i).json);
        }
        body.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return HttpResponse.ok(body.toByteArray()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /**
     * A row of a listing as the instance that holds it rendered it, so that a page repeats every row byte for byte
     * as that instance's API renders it (numbers keep their scale). Its tree, which only the listing's order reads,
     * is parsed when rows of two or more instances are merged, and at most once.
     */
    static final class Row {
        private final byte[] json;
        private final ObjectMapper parser;
        private JsonNode tree;

        Row(byte[] json, ObjectMapper parser) {
            this(json, parser, null);
        }

        Row(byte[] json, ObjectMapper parser, JsonNode tree) {
            this.json = json;
            this.parser = parser;
            this.tree = tree;
        }

        static Comparator<Row> inOrder(Comparator<JsonNode> order) {
            return Comparator.comparing(Row::tree, order);
        }

        int size() {
            return json.length;
        }

        JsonNode tree() {
            if (tree == null) {
                try {
                    tree = parser.readTree(json);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return tree;
        }
    }

    private record Line(String text, JsonNode row) {
    }

    private Iterator<Line> parsed(Iterator<String> lines) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public Line next() {
                String text = lines.next();
                try {
                    return new Line(text, json.readTree(text));
                } catch (IOException e) { // not JSON: a fault of the instance, not a read to retry (500)
                    throw new IllegalStateException("an instance sent an export line that is not JSON", e);
                }
            }
        };
    }
}
