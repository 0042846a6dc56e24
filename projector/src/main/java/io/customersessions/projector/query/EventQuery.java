package io.customersessions.projector.query;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A parsed {@code GET /v1/applications/{applicationId}/events/no_total}: filters ({@code type} is a comma-separated
 * list of types, as in Talon.One, an event matching any of them; {@code session} (integration id) and {@code
 * profile} match exactly; {@code createdBefore} and {@code createdAfter} are exclusive bounds on the event time),
 * paging ({@code pageSize} 1–1000, {@code skip}) and order ({@code sort}: {@code created}, the default, or {@code
 * -created}). An empty parameter value is no filter.
 *
 * @param types the event types asked for; empty: every type
 */
public record EventQuery(long applicationId, Set<String> types, Optional<Instant> createdBefore,
                         Optional<Instant> createdAfter, Optional<String> session, Optional<String> profile,
                         int pageSize, int skip, boolean descending) {

    /** The same query for {@code pageSize} events after {@code skip}: one instance's window of a merged page. */
    public EventQuery window(int skip, int pageSize) {
        return new EventQuery(applicationId, types, createdBefore, createdAfter, session, profile, pageSize, skip,
                descending);
    }

    /** The query, or every parameter problem found in it. */
    public record Parsed(Optional<EventQuery> query, List<ListingQuery.ParameterViolation> violations) {
    }

    /** One session's events: only {@code pageSize} and {@code skip} apply. */
    public static Parsed parseSessionPage(long applicationId, String integrationId,
                                          Function<String, Optional<String>> parameter) {
        ListingQuery.Parser p = new ListingQuery.Parser(parameter);
        int pageSize = p.integer("pageSize", 1, ListingQuery.MAX_PAGE_SIZE, ListingQuery.MAX_PAGE_SIZE);
        int skip = p.integer("skip", 0, Integer.MAX_VALUE, 0);
        return p.violations.isEmpty()
                ? new Parsed(Optional.of(new EventQuery(applicationId, Set.of(), Optional.empty(),
                        Optional.empty(), Optional.of(integrationId), Optional.empty(), pageSize, skip, false)), List.of())
                : new Parsed(Optional.empty(), List.copyOf(p.violations));
    }

    /** {@code asOf} (an ISO-8601 instant) or {@code asOfUpdateCount} (≥ 1), never both; neither is the current state. */
    public sealed interface AsOf {
        record Current() implements AsOf {
        }

        record At(Instant instant) implements AsOf {
        }

        record Count(int updateCount) implements AsOf {
        }

        record Invalid(List<ListingQuery.ParameterViolation> violations) implements AsOf {
        }
    }

    /**
     * An empty {@code asOf=} or {@code asOfUpdateCount=} is a 400, not the current state: where a listing reads an
     * empty filter as none, a point-in-time read given an empty point (a script's unset variable) would otherwise
     * answer today's session as if it were the one asked for.
     */
    public static AsOf parseAsOf(Function<String, Optional<String>> parameter) {
        ListingQuery.Parser p = new ListingQuery.Parser(parameter);
        for (String name : List.of("asOf", "asOfUpdateCount")) {
            if (parameter.apply(name).filter(String::isEmpty).isPresent()) {
                p.violations.add(new ListingQuery.ParameterViolation(name, "must not be empty"));
            }
        }
        Optional<Instant> instant = p.time("asOf");
        int count = p.integer("asOfUpdateCount", 1, Integer.MAX_VALUE, 0);
        if (p.violations.isEmpty() && instant.isPresent() && count > 0) {
            p.violations.add(new ListingQuery.ParameterViolation("asOfUpdateCount",
                    "give either asOf or asOfUpdateCount, not both"));
        }
        if (!p.violations.isEmpty()) {
            return new AsOf.Invalid(List.copyOf(p.violations));
        }
        if (instant.isPresent()) {
            return new AsOf.At(instant.get());
        }
        return count > 0 ? new AsOf.Count(count) : new AsOf.Current();
    }

    /** @param parameter the first value of a query parameter, by name */
    public static Parsed parse(long applicationId, Function<String, Optional<String>> parameter) {
        ListingQuery.Parser p = new ListingQuery.Parser(parameter);
        Set<String> types = p.text("type").map(EventQuery::typeList).orElse(Set.of());
        Optional<Instant> createdBefore = p.time("createdBefore");
        Optional<Instant> createdAfter = p.time("createdAfter");
        Optional<String> session = p.text("session");
        Optional<String> profile = p.text("profile");
        int pageSize = p.integer("pageSize", 1, ListingQuery.MAX_PAGE_SIZE, ListingQuery.MAX_PAGE_SIZE);
        int skip = p.integer("skip", 0, Integer.MAX_VALUE, 0);
        boolean descending = p.text("sort").flatMap(value -> p.check("sort", switch (value) {
            case "created" -> Optional.of(false);
            case "-created" -> Optional.of(true);
            default -> Optional.<Boolean>empty();
        }, "'" + value + "' is not a sortable field; expected created or -created")).orElse(false);
        return p.violations.isEmpty()
                ? new Parsed(Optional.of(new EventQuery(applicationId, types, createdBefore, createdAfter, session,
                        profile, pageSize, skip, descending)), List.of())
                : new Parsed(Optional.empty(), List.copyOf(p.violations));
    }

    /** {@code a,b , c} → {a, b, c}: blanks around and between the commas are ignored. */
    private static Set<String> typeList(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(type -> !type.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
