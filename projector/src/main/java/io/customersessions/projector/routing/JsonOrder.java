package io.customersessions.projector.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.customersessions.api.history.HistoryEntry;
import io.customersessions.api.management.ApplicationSession;
import io.customersessions.projector.query.ListingQuery;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.function.Function;

/**
 * The orders of the listings and exports, on their JSON rows: the same orders the stores and queries produce
 * locally ({@link ListingQuery.Sort}, the history's time order), so the instances' parts merge into one order.
 * Times are compared as instants, numbers as decimals, everything else as text (a missing field is {@code ""}).
 */
public final class JsonOrder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

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

    /**
     * A row's sort key for {@link #sessions}: the fields it reads ({@code id} and the sort field) as the row renders
     * them, taken from the row before it is rendered (times to the millisecond, as rendered).
     */
    public static Function<ApplicationSession, JsonNode> sessionKey(ListingQuery.Sort sort) {
        ListingQuery.SortField field = sort.field();
        return session -> {
            ObjectNode key = NODES.objectNode();
            key.put("id", session.id());
            switch (field) {
                case ID -> { }
                case CREATED -> key.put("created", rendered(session.created()));
                case INTEGRATION_ID -> key.put("integrationId", session.integrationId());
                case STORE_INTEGRATION_ID -> key.put("storeIntegrationId", session.storeIntegrationId());
                case PROFILE -> key.put("profileintegrationid", session.profileintegrationid());
                case COUPON -> key.put("coupon", session.coupon());
                case REFERRAL -> key.put("referral", session.referral());
                case STATE -> key.put("state", session.state());
                case TOTAL -> key.put("total", session.total());
                case TOTAL_DISCOUNTS -> key.put("totalDiscounts", session.totalDiscounts());
                default -> throw new IllegalArgumentException("no sort key for " + field);
            }
            return key;
        };
    }

    /** A row's sort key for {@link #events}, as {@link #sessionKey} is for {@link #sessions}. */
    public static Function<HistoryEntry, JsonNode> eventKey() {
        return entry -> {
            ObjectNode key = NODES.objectNode();
            key.put("created", rendered(entry.created()));
            key.put("sessionIntegrationId", entry.sessionIntegrationId());
            key.putObject("stateAfter").put("updateCount", entry.stateAfter().updateCount());
            return key;
        };
    }

    /** An instant as the rows render it (to the millisecond), in a form {@link #time} reads; null stays null. */
    private static String rendered(Instant time) {
        return time == null ? null : time.truncatedTo(ChronoUnit.MILLIS).toString();
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
