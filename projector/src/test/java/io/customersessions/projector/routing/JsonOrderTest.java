package io.customersessions.projector.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customersessions.api.history.HistoryEntry;
import io.customersessions.api.management.ApplicationSession;
import io.customersessions.projector.query.ListingQuery;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class JsonOrderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> rows(String... json) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String row : json) {
            rows.add(JSON.readTree(row));
        }
        return rows;
    }

    private static List<String> sorted(List<JsonNode> rows, java.util.Comparator<JsonNode> order, String field) {
        return rows.stream().sorted(order).map(row -> row.path(field).asText()).toList();
    }

    @Test
    void sessions_sort_by_number_not_by_text_and_ties_by_id() throws Exception {
        // given
        List<JsonNode> rows = rows("{\"id\": 3, \"total\": 10.00}", "{\"id\": 1, \"total\": 9.5}",
                "{\"id\": 2, \"total\": 10}");

        // when / then
        assertThat(sorted(rows, JsonOrder.sessions(new ListingQuery.Sort(ListingQuery.SortField.TOTAL, false)), "id"))
                .containsExactly("1", "2", "3");
        assertThat(sorted(rows, JsonOrder.sessions(new ListingQuery.Sort(ListingQuery.SortField.TOTAL, true)), "id"))
                .containsExactly("3", "2", "1");
    }

    @Test
    void sessions_sort_by_creation_time_and_a_missing_text_field_is_empty() throws Exception {
        List<JsonNode> rows = rows(
                "{\"id\": 1, \"created\": \"2026-11-01T10:00:00.500Z\", \"storeIntegrationId\": \"b\"}",
                "{\"id\": 2, \"created\": \"2026-11-01T10:00:00.000Z\"}",
                "{\"id\": 3, \"created\": \"2026-11-01T09:59:59.999Z\", \"storeIntegrationId\": \"a\"}");

        assertThat(sorted(rows, JsonOrder.sessions(ListingQuery.Sort.DEFAULT), "id")).containsExactly("3", "2", "1");
        assertThat(sorted(rows, JsonOrder.sessions(
                new ListingQuery.Sort(ListingQuery.SortField.STORE_INTEGRATION_ID, false)), "id"))
                .containsExactly("2", "3", "1");
    }

    @Test
    void exported_sessions_sort_by_creation_time_then_by_id_as_a_number() throws Exception {
        // given: the export's rows, in the order of the creation-time view: (created, id)
        List<JsonNode> rows = rows(
                "{\"id\": 10, \"created\": \"2026-11-01T10:00:00.000Z\", \"integrationId\": \"a\"}",
                "{\"id\": 9, \"created\": \"2026-11-01T10:00:00.000Z\", \"integrationId\": \"b\"}",
                "{\"id\": 1, \"created\": \"2026-11-01T10:00:00.001Z\", \"integrationId\": \"c\"}");

        // when / then
        assertThat(sorted(rows, JsonOrder.createdSessions(), "id")).containsExactly("9", "10", "1");
    }

    @Test
    void events_sort_by_time_then_session_then_update_count() throws Exception {
        List<JsonNode> rows = rows(
                "{\"created\": \"2026-11-01T10:00:01.000Z\", \"sessionIntegrationId\": \"a\", \"stateAfter\": {\"updateCount\": 1}, \"n\": 4}",
                "{\"created\": \"2026-11-01T10:00:00.000Z\", \"sessionIntegrationId\": \"b\", \"stateAfter\": {\"updateCount\": 10}, \"n\": 3}",
                "{\"created\": \"2026-11-01T10:00:00.000Z\", \"sessionIntegrationId\": \"b\", \"stateAfter\": {\"updateCount\": 9}, \"n\": 2}",
                "{\"created\": \"2026-11-01T10:00:00.000Z\", \"sessionIntegrationId\": \"a\", \"stateAfter\": {\"updateCount\": 2}, \"n\": 1}");

        assertThat(sorted(rows, JsonOrder.events(false), "n")).containsExactly("1", "2", "3", "4");
        assertThat(sorted(rows, JsonOrder.events(true), "n")).containsExactly("4", "3", "2", "1");
    }

    /**
     * A row's sort key, taken from the row before it is rendered, orders rows as the rendered rows do: for every
     * sort of the listing, with ties on the sort field, times finer than the millisecond the rows show, decimals of
     * other scales and missing fields.
     */
    @Test
    void a_sessions_sort_key_orders_them_as_their_rendered_rows() throws Exception {
        io.micronaut.serde.ObjectMapper api = io.micronaut.serde.ObjectMapper.getDefault();
        Random random = new Random(20261124);
        for (ListingQuery.SortField field : ListingQuery.SortField.values()) {
            for (boolean descending : new boolean[] {false, true}) {
                ListingQuery.Sort sort = new ListingQuery.Sort(field, descending);
                List<ApplicationSession> sessions = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    sessions.add(session(random, i));
                }
                Map<ApplicationSession, JsonNode> rendered = new HashMap<>();
                for (ApplicationSession session : sessions) {
                    rendered.put(session, JSON.readTree(api.writeValueAsBytes(session)));
                }
                Comparator<JsonNode> order = JsonOrder.sessions(sort);
                Function<ApplicationSession, JsonNode> key = JsonOrder.sessionKey(sort);

                List<Long> byRows = sessions.stream().sorted(Comparator.comparing(rendered::get, order))
                        .map(ApplicationSession::id).toList();
                List<Long> byKeys = sessions.stream().sorted(Comparator.comparing(key, order))
                        .map(ApplicationSession::id).toList();

                assertThat(byKeys).as("%s", sort).isEqualTo(byRows);
            }
        }
    }

    @Test
    void an_events_sort_key_orders_them_as_their_rendered_rows() throws Exception {
        io.micronaut.serde.ObjectMapper api = io.micronaut.serde.ObjectMapper.getDefault();
        Random random = new Random(20261125);
        List<HistoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            entries.add(new HistoryEntry("talon_session_updated", time(random), "s-" + random.nextInt(4), "",
                    0, i, "c-" + i, "e-" + i, Map.of(), new HistoryEntry.StateAfter(random.nextInt(3), "open",
                    BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ONE)));
        }
        Map<HistoryEntry, JsonNode> rendered = new HashMap<>();
        for (HistoryEntry entry : entries) {
            rendered.put(entry, JSON.readTree(api.writeValueAsBytes(entry)));
        }
        for (boolean descending : new boolean[] {false, true}) {
            Comparator<JsonNode> order = JsonOrder.events(descending);
            List<Long> byRows = entries.stream().sorted(Comparator.comparing(rendered::get, order))
                    .map(HistoryEntry::offset).toList();
            List<Long> byKeys = entries.stream().sorted(Comparator.comparing(JsonOrder.eventKey(), order))
                    .map(HistoryEntry::offset).toList();
            assertThat(byKeys).isEqualTo(byRows);
        }
    }

    /** Few distinct values per field, so that sorts meet ties (broken by the distinct id). */
    private static ApplicationSession session(Random random, long id) {
        List<String> texts = java.util.Arrays.asList("", "a", "b", "B", "a-1");
        List<BigDecimal> amounts = List.of(new BigDecimal("1.1"), new BigDecimal("1.10"), new BigDecimal("10"),
                new BigDecimal("9.5"), new BigDecimal("1E+1"), BigDecimal.ZERO);
        return new ApplicationSession(id * 7 % 40, time(random), "s-" + random.nextInt(5),
                random.nextBoolean() ? null : texts.get(random.nextInt(texts.size())), 1,
                texts.get(random.nextInt(texts.size())), texts.get(random.nextInt(texts.size())),
                texts.get(random.nextInt(texts.size())), List.of("open", "closed", "cancelled").get(random.nextInt(3)),
                List.of(), Map.of(), amounts.get(random.nextInt(amounts.size())),
                amounts.get(random.nextInt(amounts.size())), Map.of());
    }

    /** An instant in a few milliseconds, with parts of a millisecond the rows do not show. */
    private static Instant time(Random random) {
        return Instant.parse("2026-11-24T10:00:00Z").plusNanos(random.nextInt(3) * 1_000_000L
                + random.nextInt(1_000_000));
    }
}
