package io.customersessions.projector.query;

import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionState;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A parsed {@code GET /v1/applications/{applicationId}/sessions}: filters, paging and order.
 *
 * <p>String filters ({@code profile}, {@code coupon}, {@code referral}, {@code integrationId},
 * {@code storeIntegrationId}) match exactly (case-sensitive), or as substrings with {@code partialMatch=true};
 * {@code coupon} matches any of the session's coupon codes. {@code state} always matches exactly. {@code
 * createdAfter} and {@code createdBefore} are exclusive bounds. An empty parameter value is no filter.
 */
public record ListingQuery(long applicationId, Filters filters, int pageSize, int skip, Sort sort) {

    public static final int MAX_PAGE_SIZE = 1000;

    public record Filters(Optional<String> profile, Optional<SessionState> state, Optional<Instant> createdBefore,
                          Optional<Instant> createdAfter, Optional<String> coupon, Optional<String> referral,
                          Optional<String> integrationId, Optional<String> storeIntegrationId,
                          boolean partialMatch) {

        public static final Filters NONE = new Filters(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);

        public boolean matches(CustomerSession s) {
            return text(profile, s.profileId())
                    && state.map(wanted -> wanted == s.state()).orElse(true)
                    && createdBefore.map(s.created()::isBefore).orElse(true)
                    && createdAfter.map(s.created()::isAfter).orElse(true)
                    && coupon.map(wanted -> s.couponCodes().stream().anyMatch(code -> text(wanted, code))).orElse(true)
                    && text(referral, s.referralCode())
                    && text(integrationId, s.key().integrationId())
                    && text(storeIntegrationId, s.storeIntegrationId() == null ? "" : s.storeIntegrationId());
        }

        private boolean text(Optional<String> wanted, String actual) {
            return wanted.map(w -> text(w, actual)).orElse(true);
        }

        private boolean text(String wanted, String actual) {
            return partialMatch ? actual.contains(wanted) : actual.equals(wanted);
        }
    }

    /** Ties are broken by id, in the same direction, so pages never overlap or skip a session. */
    public record Sort(SortField field, boolean descending) {

        public static final Sort DEFAULT = new Sort(SortField.CREATED, false);

        public Comparator<CustomerSession> comparator() {
            Comparator<CustomerSession> ascending = field.comparator().thenComparingLong(CustomerSession::id);
            return descending ? ascending.reversed() : ascending;
        }
    }

    /** The fields of {@code ApplicationSession} a listing can be sorted by, under their JSON names. */
    public enum SortField {
        ID("id", CustomerSession::id),
        CREATED("created", CustomerSession::created),
        INTEGRATION_ID("integrationId", s -> s.key().integrationId()),
        STORE_INTEGRATION_ID("storeIntegrationId", s -> s.storeIntegrationId() == null ? "" : s.storeIntegrationId()),
        PROFILE("profileintegrationid", CustomerSession::profileId),
        COUPON("coupon", s -> s.couponCodes().isEmpty() ? "" : s.couponCodes().get(0)),
        REFERRAL("referral", CustomerSession::referralCode),
        STATE("state", s -> s.state().wireName()),
        TOTAL("total", CustomerSession::total),
        TOTAL_DISCOUNTS("totalDiscounts", CustomerSession::totalDiscounts);

        private final String jsonName;
        private final Function<CustomerSession, Comparable<?>> value;

        SortField(String jsonName, Function<CustomerSession, Comparable<?>> value) {
            this.jsonName = jsonName;
            this.value = value;
        }

        /** The session's value of this field, as a listing compares it; values of one field compare together. */
        public Comparable<?> valueOf(CustomerSession session) {
            return value.apply(session);
        }

        /** Sessions in ascending order of this field's {@link #valueOf value}. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Comparator<CustomerSession> comparator() {
            return Comparator.comparing(session -> (Comparable) value.apply(session));
        }

        /** The field's name in {@code ApplicationSession}, as in the {@code sort} parameter. */
        public String jsonName() {
            return jsonName;
        }

        static Optional<SortField> byJsonName(String name) {
            return Arrays.stream(values()).filter(f -> f.jsonName.equals(name)).findFirst();
        }

        static String names() {
            return Arrays.stream(values()).map(f -> f.jsonName).collect(Collectors.joining(", "));
        }
    }

    /** The same query for {@code pageSize} rows after {@code skip}: one instance's window of a merged page. */
    public ListingQuery window(int skip, int pageSize) {
        return new ListingQuery(applicationId, filters, pageSize, skip, sort);
    }

    /** A query parameter with a value the API does not accept. */
    public record ParameterViolation(String parameter, String details) {
    }

    /** The query, or every parameter problem found in it. */
    public sealed interface Parsed {
    }

    public record Valid(ListingQuery query) implements Parsed {
    }

    public record Invalid(List<ParameterViolation> violations) implements Parsed {
        public Invalid {
            violations = List.copyOf(violations);
        }
    }

    /** @param parameter the first value of a query parameter, by name */
    public static Parsed parse(long applicationId, Function<String, Optional<String>> parameter) {
        Parser p = new Parser(parameter);
        boolean partialMatch = p.bool("partialMatch");
        Filters filters = new Filters(
                p.text("profile"),
                p.text("state").flatMap(name -> p.check("state", SessionState.fromWireName(name),
                        "'" + name + "' is not a session state; expected one of "
                                + Arrays.stream(SessionState.values()).map(SessionState::wireName)
                                .collect(Collectors.joining(", ")))),
                p.time("createdBefore"),
                p.time("createdAfter"),
                p.text("coupon"),
                p.text("referral"),
                p.text("integrationId"),
                p.text("storeIntegrationId"),
                partialMatch);
        int pageSize = p.integer("pageSize", 1, MAX_PAGE_SIZE, MAX_PAGE_SIZE);
        int skip = p.integer("skip", 0, Integer.MAX_VALUE, 0);
        Sort sort = p.text("sort").flatMap(p::sort).orElse(Sort.DEFAULT);
        return p.violations.isEmpty()
                ? new Valid(new ListingQuery(applicationId, filters, pageSize, skip, sort))
                : new Invalid(p.violations);
    }

    /** Parameter parsing that collects every violation; shared with {@link EventQuery}. */
    static final class Parser {
        private final Function<String, Optional<String>> parameter;
        final List<ParameterViolation> violations = new ArrayList<>();

        Parser(Function<String, Optional<String>> parameter) {
            this.parameter = parameter;
        }

        Optional<String> text(String name) {
            return parameter.apply(name).filter(value -> !value.isEmpty());
        }

        <T> Optional<T> check(String name, Optional<T> value, String details) {
            if (value.isEmpty()) {
                violations.add(new ParameterViolation(name, details));
            }
            return value;
        }

        boolean bool(String name) {
            return text(name).flatMap(value -> check(name, switch (value) {
                case "true" -> Optional.of(true);
                case "false" -> Optional.of(false);
                default -> Optional.<Boolean>empty();
            }, "'" + value + "' is not a boolean; expected true or false")).orElse(false);
        }

        /** ISO-8601 with an offset or Z, e.g. {@code 2026-11-22T10:15:30+01:00}. */
        Optional<Instant> time(String name) {
            return text(name).flatMap(value -> {
                Optional<Instant> parsed;
                try {
                    Instant time = OffsetDateTime.parse(value).toInstant();
                    // Throws beyond epoch milliseconds, the precision of every stored time, and at either end of
                    // them, where the millisecond after or before a bound would wrap around to the other end.
                    long milli = time.toEpochMilli();
                    Math.addExact(milli, 1);
                    Math.subtractExact(milli, 1);
                    parsed = Optional.of(time);
                } catch (DateTimeException | ArithmeticException e) {
                    parsed = Optional.empty();
                }
                return check(name, parsed, "'" + value + "' is not an ISO-8601 date-time with a time zone, "
                        + "e.g. 2026-11-22T10:15:30Z");
            });
        }

        int integer(String name, int min, int max, int absent) {
            return text(name).flatMap(value -> {
                Optional<Integer> parsed;
                try {
                    long number = Long.parseLong(value);
                    parsed = number >= min && number <= max ? Optional.of((int) number) : Optional.empty();
                } catch (NumberFormatException e) {
                    parsed = Optional.empty();
                }
                return check(name, parsed, "'" + value + "' is not a whole number from " + min
                        + (max == Integer.MAX_VALUE ? " up" : " to " + max));
            }).orElse(absent);
        }

        Optional<Sort> sort(String value) {
            boolean descending = value.startsWith("-");
            String field = descending ? value.substring(1) : value;
            return check("sort", SortField.byJsonName(field).map(f -> new Sort(f, descending)),
                    "'" + value + "' is not a sortable field; expected one of " + SortField.names()
                            + ", optionally prefixed with '-' for descending order");
        }
    }
}
