package io.customersessions.projector.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.customersessions.projector.query.ListingQuery;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;

/**
 * The orders of the listings and exports, on their JSON rows: the same orders the stores and queries produce
 * locally ({@link ListingQuery.Sort}, the history's time order), so the instances' parts merge into one order.
 * Times are compared as instants, numbers as decimals, everything else as text (a missing field is {@code ""}).
 */
public final class JsonOrder {

    private JsonOrder() {
    }

    /** Management listing: by the sort field, ties by id, both in the sort's direction. */
    public static Comparator<JsonNode> sessions(ListingQuery.Sort sort) {
        String field = sort.field().jsonName();
        Comparator<JsonNode> ascending = Comparator.<JsonNode, JsonNode>comparing(row -> row.path(field),
                        field.equals("created") ? JsonOrder::byTime : JsonOrder::byValue)
                .thenComparing(row -> row.path("id"), JsonOrder::byValue);
        return sort.descending() ? ascending.reversed() : ascending;
    }

    /** {@code events/no_total} and the event export: by event time, then session, then {@code updateCount}. */
    public static Comparator<JsonNode> events(boolean descending) {
        Comparator<JsonNode> ascending = Comparator.<JsonNode, JsonNode>comparing(row -> row.path("created"),
                        JsonOrder::byTime)
                .thenComparing(row -> row.path("sessionIntegrationId").asText(""))
                .thenComparing(row -> row.path("stateAfter").path("updateCount"), JsonOrder::byValue);
        return descending ? ascending.reversed() : ascending;
    }

    /** The session export: creation order, ties by id (the order of the creation-time view). */
    public static Comparator<JsonNode> createdSessions() {
        return Comparator.<JsonNode, JsonNode>comparing(row -> row.path("created"), JsonOrder::byTime)
                .thenComparing(row -> row.path("id"), JsonOrder::byValue);
    }

    /** Rows that are plain strings (e.g. integration ids), in text order. */
    public static Comparator<JsonNode> text() {
        return Comparator.comparing(row -> row.asText(""));
    }

    private static int byTime(JsonNode a, JsonNode b) {
        return time(a).compareTo(time(b));
    }

    private static Instant time(JsonNode node) {
        return node.isTextual() ? OffsetDateTime.parse(node.asText()).toInstant() : Instant.MIN;
    }

    private static int byValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return decimal(a).compareTo(decimal(b));
        }
        return a.asText("").compareTo(b.asText(""));
    }

    private static BigDecimal decimal(JsonNode node) {
        return node.isBigDecimal() ? node.decimalValue() : new BigDecimal(node.asText());
    }
}
