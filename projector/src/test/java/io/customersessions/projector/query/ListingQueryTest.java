package io.customersessions.projector.query;

import io.customersessions.domain.SessionState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ListingQueryTest {

    @Test
    void without_parameters_the_first_thousand_sessions_are_listed_oldest_first() {
        // when
        ListingQuery query = valid(Map.of());

        // then
        assertThat(query.applicationId()).isEqualTo(7);
        assertThat(query.filters()).isEqualTo(ListingQuery.Filters.NONE);
        assertThat(query.pageSize()).isEqualTo(1000);
        assertThat(query.skip()).isZero();
        assertThat(query.sort()).isEqualTo(new ListingQuery.Sort(ListingQuery.SortField.CREATED, false));
    }

    @Test
    void every_filter_is_read() {
        // when
        Map<String, String> parameters = new HashMap<>();
        parameters.put("profile", "customer-1");
        parameters.put("state", "partially_returned");
        parameters.put("createdBefore", "2026-11-22T12:00:00+01:00");
        parameters.put("createdAfter", "2026-11-01T00:00:00Z");
        parameters.put("coupon", "SPRING");
        parameters.put("referral", "FRIEND");
        parameters.put("integrationId", "s-1");
        parameters.put("storeIntegrationId", "store-1");
        parameters.put("partialMatch", "true");
        parameters.put("pageSize", "50");
        parameters.put("skip", "100");
        parameters.put("sort", "-total");
        ListingQuery query = valid(parameters);

        // then
        ListingQuery.Filters f = query.filters();
        assertThat(f.profile()).contains("customer-1");
        assertThat(f.state()).contains(SessionState.PARTIALLY_RETURNED);
        assertThat(f.createdBefore()).contains(Instant.parse("2026-11-22T11:00:00Z"));
        assertThat(f.createdAfter()).contains(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(f.coupon()).contains("SPRING");
        assertThat(f.referral()).contains("FRIEND");
        assertThat(f.integrationId()).contains("s-1");
        assertThat(f.storeIntegrationId()).contains("store-1");
        assertThat(f.partialMatch()).isTrue();
        assertThat(query.pageSize()).isEqualTo(50);
        assertThat(query.skip()).isEqualTo(100);
        assertThat(query.sort()).isEqualTo(new ListingQuery.Sort(ListingQuery.SortField.TOTAL, true));
    }

    @Test
    void an_empty_value_is_no_filter() {
        assertThat(valid(Map.of("profile", "", "state", "")).filters()).isEqualTo(ListingQuery.Filters.NONE);
    }

    @Test
    void every_bad_parameter_is_reported_by_name() {
        // when
        Map<String, String> parameters = new HashMap<>();
        parameters.put("state", "shipped");
        parameters.put("createdBefore", "yesterday");
        parameters.put("createdAfter", "2026-11-01T00:00:00");
        parameters.put("partialMatch", "yes");
        parameters.put("pageSize", "1001");
        parameters.put("skip", "-1");
        parameters.put("sort", "-colour");
        ListingQuery.Parsed parsed = ListingQuery.parse(7, name -> Optional.ofNullable(parameters.get(name)));

        // then
        assertThat(parsed).isInstanceOf(ListingQuery.Invalid.class);
        assertThat(((ListingQuery.Invalid) parsed).violations()).extracting(ListingQuery.ParameterViolation::parameter)
                .containsExactlyInAnyOrder("state", "createdBefore", "createdAfter", "partialMatch", "pageSize",
                        "skip", "sort");
    }

    @Test
    void a_time_at_the_very_end_of_epoch_milliseconds_is_refused_so_no_range_bound_wraps_around() {
        // given the last instant whose epoch millisecond is Long.MAX_VALUE, and the first of Long.MIN_VALUE
        String last = Instant.ofEpochMilli(Long.MAX_VALUE).toString();
        String first = Instant.ofEpochMilli(Long.MIN_VALUE).toString();

        // then
        assertThat(invalid(Map.of("createdAfter", last))).isTrue();
        assertThat(invalid(Map.of("createdBefore", first))).isTrue();
        assertThat(invalid(Map.of("createdAfter", Instant.ofEpochMilli(Long.MAX_VALUE - 1).toString()))).isFalse();
    }

    @Test
    void page_size_is_between_1_and_1000() {
        assertThat(invalid(Map.of("pageSize", "0"))).isTrue();
        assertThat(invalid(Map.of("pageSize", "1.5"))).isTrue();
        assertThat(valid(Map.of("pageSize", "1")).pageSize()).isEqualTo(1);
        assertThat(valid(Map.of("pageSize", "1000")).pageSize()).isEqualTo(1000);
    }

    @Test
    void every_field_of_application_session_with_an_order_can_be_sorted_by() {
        for (String field : new String[]{"id", "created", "integrationId", "storeIntegrationId",
                "profileintegrationid", "coupon", "referral", "state", "total", "totalDiscounts"}) {
            assertThat(valid(Map.of("sort", field)).sort().descending()).isFalse();
            assertThat(valid(Map.of("sort", "-" + field)).sort().descending()).isTrue();
        }
    }

    private static boolean invalid(Map<String, String> parameters) {
        return ListingQuery.parse(7, name -> Optional.ofNullable(parameters.get(name)))
                instanceof ListingQuery.Invalid;
    }

    private static ListingQuery valid(Map<String, String> parameters) {
        ListingQuery.Parsed parsed = ListingQuery.parse(7, name -> Optional.ofNullable(parameters.get(name)));
        assertThat(parsed).isInstanceOf(ListingQuery.Valid.class);
        return ((ListingQuery.Valid) parsed).query();
    }
}
