package io.customersessions.projector.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customersessions.projector.query.ListingQuery;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

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
}
