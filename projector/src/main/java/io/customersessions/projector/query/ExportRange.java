package io.customersessions.projector.query;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The time range of an export: {@code createdAfter} and {@code createdBefore} are exclusive bounds (ISO-8601 with a
 * zone), either may be absent. An empty parameter value is no bound.
 */
public record ExportRange(Optional<Instant> createdAfter, Optional<Instant> createdBefore) {

    /** The range, or every parameter problem found in it. */
    public record Parsed(Optional<ExportRange> range, List<ListingQuery.ParameterViolation> violations) {
    }

    public static Parsed parse(Function<String, Optional<String>> parameter) {
        ListingQuery.Parser p = new ListingQuery.Parser(parameter);
        Optional<Instant> after = p.time("createdAfter");
        Optional<Instant> before = p.time("createdBefore");
        return p.violations.isEmpty()
                ? new Parsed(Optional.of(new ExportRange(after, before)), List.of())
                : new Parsed(Optional.empty(), List.copyOf(p.violations));
    }

    /** The first whole millisecond inside the range (stored times are whole milliseconds). */
    long firstMilli() {
        return createdAfter.map(time -> time.toEpochMilli() + 1).orElse(0L);
    }

    /** The last whole millisecond inside the range. */
    long lastMilli() {
        return createdBefore.map(time -> time.getNano() % 1_000_000 == 0 ? time.toEpochMilli() - 1 : time.toEpochMilli())
                .orElse(Long.MAX_VALUE);
    }
}
