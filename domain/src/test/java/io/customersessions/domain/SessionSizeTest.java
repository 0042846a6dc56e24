package io.customersessions.domain;

import io.customersessions.domain.Rejection.Reason;
import io.customersessions.domain.Rejection.Violation;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.customersessions.domain.Commands.repeat;
import static io.customersessions.domain.Commands.setDiscounts;
import static io.customersessions.domain.Commands.upsert;
import static io.customersessions.domain.Sessions.decide;
import static io.customersessions.domain.Sessions.decideNew;
import static io.customersessions.domain.Sessions.event;
import static io.customersessions.domain.Sessions.given;
import static io.customersessions.domain.Sessions.rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A session never grows beyond {@link SessionLimits#MAX_SESSION_BYTES}, however it is fed: every record the fold
 * writes must fit in one Kafka record, or the fold of every session stops.
 */
class SessionSizeTest {

    private static final int CHUNK = 100 * 1024;

    private static CartItem named(String name) {
        return new CartItem(name, "sku", 1, 0, BigDecimal.ONE, null, null, null, null, null, null, null, null);
    }

    private static SortedMap<String, String> attribute(String name, int characters) {
        SortedMap<String, String> attributes = new TreeMap<>();
        attributes.put(name, "\"" + repeat('x', characters) + "\"");
        return attributes;
    }

    @Test
    void updates_that_each_fit_are_refused_once_their_attributes_would_add_up_beyond_the_limit() {
        // given a session holding three attributes of 100 KiB, added one update at a time
        CustomerSession session = given(upsert().attributes(attribute("a", CHUNK)).build(),
                upsert().attributes(attribute("b", CHUNK)).build(),
                upsert().attributes(attribute("c", CHUNK)).build());
        assertThat(SessionSize.of(session)).isLessThanOrEqualTo(SessionLimits.MAX_SESSION_BYTES);

        // when a fourth would take it over
        Decision fourth = decide(session, upsert().attributes(attribute("d", CHUNK)).build());

        // then
        Rejection rejection = rejection(fourth);
        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_INPUT);
        assertThat(rejection.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/customerSession");
            assertThat(violation.title()).isEqualTo("session too large");
            assertThat(violation.details()).contains("384 KiB");
        });
        // and a change that keeps it as large is still accepted
        assertThat(event(decide(session, upsert().attributes(attribute("a", CHUNK - 1)).build())))
                .isInstanceOf(SessionEvent.SessionUpdated.class);
    }

    @Test
    void a_session_already_over_the_limit_can_still_be_closed_and_shrunk() {
        // given a session over the limit (written before the limit existed): built by events, not decided
        CustomerSession large = Sessions.evolve(Sessions.open(), new SessionEvent.SessionUpdated(
                new SessionEvent.EventMeta("e-large", "c-large", Commands.KEY, Commands.T0.plusSeconds(1)),
                SessionChanges.NONE.withAttributes(attribute("big", 500 * 1024))));
        assertThat(SessionSize.of(large)).isGreaterThan(SessionLimits.MAX_SESSION_BYTES);

        // when / then
        assertThat(event(decide(large, upsert().state(SessionState.CLOSED).build())))
                .isInstanceOf(SessionEvent.SessionClosed.class);
        assertThat(event(decide(large, upsert().attributes(attribute("big", 10)).build())))
                .isInstanceOf(SessionEvent.SessionUpdated.class);
        assertThat(rejection(decide(large, upsert().attributes(attribute("more", 10)).build())).message())
                .isEqualTo("session too large");
    }

    @Test
    void the_largest_cart_of_typical_items_fits() {
        // given 1000 items (the most a cart may have), each with a name, sku, category, price and an attribute
        List<CartItem> cart = new ArrayList<>();
        for (int i = 0; i < SessionLimits.MAX_CART_ITEMS; i++) {
            cart.add(new CartItem("Merino wool socks, charcoal, size 43-46 " + i, "SKU-SOCK-" + i, 1, 0,
                    new BigDecimal("12.99"), "apparel/socks", null, new BigDecimal("0.08"), null, null, null,
                    new TreeMap<>(Map.of("color", "\"charcoal\"")), null));
        }

        // when / then
        assertThat(event(decideNew(upsert().profile("customer-1").cart(cart).build())))
                .isInstanceOf(SessionEvent.SessionCreated.class);
    }

    @Test
    void a_request_carrying_more_than_a_session_holds_is_invalid_before_any_state_is_read() {
        // when
        List<Violation> cart = SessionDecider.validate(upsert()
                .cart(named(repeat('n', 400 * 1024))).build());
        SortedMap<String, BigDecimal> manyDiscounts = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            manyDiscounts.put(i + repeat('d', 900), BigDecimal.ONE);
        }
        List<Violation> discounts = SessionDecider.validate(setDiscounts(manyDiscounts));

        // then
        assertThat(cart).extracting(Violation::pointer, Violation::title)
                .containsExactly(tuple("/customerSession", "request too large"));
        assertThat(discounts).extracting(Violation::title).containsExactly("request too large");
        assertThat(rejection(decideNew(upsert().cart(named(repeat('n', 400 * 1024)))
                .build())).reason()).isEqualTo(Reason.INVALID_INPUT);
    }

    @Test
    void a_rejection_lists_at_most_a_hundred_violations_and_counts_the_rest() {
        // given 250 blank coupon codes
        List<String> blanks = Collections.nCopies(250, "");

        // when
        List<Violation> violations = rejection(decideNew(upsert().coupons(blanks).build())).violations();

        // then
        assertThat(violations).hasSize(SessionLimits.MAX_VIOLATIONS + 1);
        assertThat(violations.get(0).pointer()).isEqualTo("/customerSession/couponCodes/0");
        assertThat(violations.get(SessionLimits.MAX_VIOLATIONS).details()).isEqualTo("150 more errors are not listed");
    }

    @Test
    void a_violation_names_a_long_key_in_at_most_two_thousand_characters() {
        // given an attribute without a value, named with 300 000 characters
        SortedMap<String, String> attributes = new TreeMap<>();
        attributes.put(repeat('k', 300_000), null);

        // when
        List<Violation> violations = rejection(decideNew(upsert().attributes(attributes).build())).violations();

        // then
        assertThat(violations).first().satisfies(violation -> {
            assertThat(violation.pointer()).hasSize(2000).startsWith("/customerSession/attributes/kkk").endsWith("…");
            assertThat(violation.details()).hasSize(2000);
        });
    }

    @Property
    void utf8_length_is_never_less_than_the_encoding(@ForAll String text) {
        assertThat(SessionSize.utf8Length(text)).isGreaterThanOrEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void utf8_length_counts_one_to_four_bytes_per_character() {
        String text = "a\u00e9\u20ac\uD83D\uDE00"; // a é € 😀
        assertThat(SessionSize.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length).isEqualTo(10);
    }
}
