package io.customersessions.domain;

import io.customersessions.domain.SessionEvent.EventMeta;
import io.customersessions.domain.SessionEvent.SessionCreated;
import io.customersessions.domain.SessionEvent.SessionPartiallyReturned;
import io.customersessions.domain.SessionEvent.SessionReopened;
import io.customersessions.domain.SessionEvent.SessionUpdated;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.customersessions.domain.Commands.KEY;
import static io.customersessions.domain.Commands.T0;
import static io.customersessions.domain.Commands.costs;
import static io.customersessions.domain.Commands.item;
import static io.customersessions.domain.Commands.minute;
import static io.customersessions.domain.Commands.reopen;
import static io.customersessions.domain.Commands.returnItems;
import static io.customersessions.domain.Commands.returned;
import static io.customersessions.domain.Commands.upsert;
import static io.customersessions.domain.Sessions.decide;
import static io.customersessions.domain.Sessions.decideNew;
import static io.customersessions.domain.Sessions.event;
import static io.customersessions.domain.Sessions.given;
import static io.customersessions.domain.SessionState.CLOSED;
import static io.customersessions.domain.SessionState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fold: counters, times, totals, defaults, and the events evolve refuses. */
class FoldTest {

    @Test
    void a_created_session_has_updateCount_1_and_defaults_for_everything_not_given() {
        // when
        CustomerSession session = given(upsert().at(minute(3)).build());

        // then
        assertThat(session.updateCount()).isEqualTo(1);
        assertThat(session.created()).isEqualTo(minute(3));
        assertThat(session.updated()).isEqualTo(minute(3));
        assertThat(session.profileId()).isEmpty();
        assertThat(session.anonymous()).isTrue();
        assertThat(session.storeIntegrationId()).isNull();
        assertThat(session.couponCodes()).isEmpty();
        assertThat(session.referralCode()).isEmpty();
        assertThat(session.loyaltyCards()).isEmpty();
        assertThat(session.cartItems()).isEmpty();
        assertThat(session.additionalCosts()).isEmpty();
        assertThat(session.identifiers()).isEmpty();
        assertThat(session.attributes()).isEmpty();
        assertThat(session.evaluableCampaignIds()).isEmpty();
        assertThat(session.firstSession()).isTrue();
        assertThat(session.total()).isZero();
    }

    @Test
    void a_created_session_holds_every_field_given() {
        // when
        CustomerSession session = given(upsert().profile("p").store("store-9").campaigns(4L, 5L).coupons("C1", "C2")
                .referral("REF").loyaltyCards("card-1").cart(item("A", 2, "1.5"))
                .additionalCosts(costs("shipping", "4.95")).identifiers("10.0.0.1")
                .attributes(Commands.attributes("city", "\"Berlin\"")).build());

        // then
        assertThat(session.profileId()).isEqualTo("p");
        assertThat(session.storeIntegrationId()).isEqualTo("store-9");
        assertThat(session.evaluableCampaignIds()).containsExactly(4L, 5L);
        assertThat(session.couponCodes()).containsExactly("C1", "C2");
        assertThat(session.referralCode()).isEqualTo("REF");
        assertThat(session.loyaltyCards()).containsExactly("card-1");
        assertThat(session.cartItems()).containsExactly(item("A", 2, "1.5"));
        assertThat(session.additionalCosts()).containsExactlyEntriesOf(costs("shipping", "4.95"));
        assertThat(session.identifiers()).containsExactly("10.0.0.1");
        assertThat(session.attributes()).containsExactlyEntriesOf(Map.of("city", "\"Berlin\""));
    }

    @Test
    void an_update_that_changes_nothing_is_still_an_accepted_update() {
        // given
        CustomerSession session = Sessions.open();

        // when
        SessionEvent event = event(decide(session, upsert().profile("customer-1").coupons("SUMMER").build()));

        // then
        assertThat(event).isEqualTo(new SessionUpdated(event.meta(), SessionChanges.NONE));
        CustomerSession after = Sessions.evolve(session, event);
        assertThat(after.updateCount()).isEqualTo(session.updateCount() + 1);
        assertThat(after.cartItems()).isEqualTo(session.cartItems());
    }

    @Test
    void updateCount_counts_every_accepted_command() {
        // given
        CustomerSession session = given(upsert().cart(item("A", 3, "1")).build());

        // when
        CustomerSession after = given(session, upsert().build(), upsert().coupons("X").build(),
                upsert().state(CLOSED).build(), reopen(), upsert().state(CLOSED).build(), returnItems(returned(0, 1)),
                upsert().state(SessionState.CANCELLED).build());

        // then
        assertThat(after.updateCount()).isEqualTo(8);
    }

    @Test
    void a_rejected_command_emits_nothing_and_leaves_the_session_as_it_was() {
        // given
        CustomerSession closed = Sessions.closed();
        CustomerSession copy = Sessions.closed();

        // when
        Decision decision = decide(closed, upsert().coupons("X").build());

        // then
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        assertThat(closed).isEqualTo(copy);
        assertThat(given(closed, reopen()).updateCount()).isEqualTo(closed.updateCount() + 1);
    }

    @Test
    void the_event_carries_the_command_id_key_and_time() {
        // when
        SessionEvent event = event(decideNew(upsert().commandId("abc").at(minute(5)).build()));

        // then
        assertThat(event.meta()).isEqualTo(new EventMeta("abc/0", "abc", KEY, minute(5)));
    }

    @Test
    void created_is_the_first_event_time_and_updated_the_last() {
        // given
        CustomerSession session = given(upsert().at(minute(1)).build());

        // when
        CustomerSession after = given(session, upsert().at(minute(2)).build(), upsert().at(minute(9)).build());

        // then
        assertThat(after.created()).isEqualTo(minute(1));
        assertThat(after.updated()).isEqualTo(minute(9));
    }

    @Test
    void an_older_command_time_never_moves_updated_backwards() {
        // given
        CustomerSession session = given(upsert().at(minute(10)).build());

        // when
        SessionEvent event = event(decide(session, upsert().coupons("X").at(minute(4)).build()));
        CustomerSession after = Sessions.evolve(session, event);

        // then
        assertThat(event.meta().time()).isEqualTo(minute(10));
        assertThat(after.updated()).isEqualTo(minute(10));
        assertThat(after.created()).isEqualTo(minute(10));
    }

    @Test
    void totals_are_exact_decimals() {
        // given 0.1 + 0.2 is 0.30000000000000004 in binary floating point
        CustomerSession session = given(upsert().cart(item("A", 1, "0.1"), item("B", 1, "0.2")).build());

        // then
        assertThat(session.cartItemTotal()).isEqualByComparingTo("0.3");
        assertThat(session.cartItemTotal().toPlainString()).isEqualTo("0.3");
        assertThat(session.total().toPlainString()).isEqualTo("0.3");
    }

    @Test
    void totals_add_cart_items_session_costs_and_per_unit_item_costs() {
        // given
        CustomerSession session = given(upsert()
                .cart(item("A", 3, "0.10", Map.of("deposit", "0.25", "packaging", "0.05")), item("B", 2, "19.99"))
                .additionalCosts(costs("shipping", "4.95", "insurance", "0.10"))
                .build());

        // then cart: 3 × 0.10 + 2 × 19.99 = 40.28; session costs 5.05; item costs 3 × 0.30 = 0.90
        assertThat(session.cartItemTotal()).isEqualByComparingTo("40.28");
        assertThat(session.additionalCostTotal()).isEqualByComparingTo("5.05");
        assertThat(session.cartItems().get(0).additionalCostTotal()).isEqualByComparingTo("0.90");
        assertThat(session.total()).isEqualByComparingTo("46.23");
    }

    @Test
    void an_item_without_price_counts_as_zero() {
        // given
        CustomerSession session = given(upsert().cart(item("A", 3, null), item("B", 1, "2.5")).build());

        // then
        assertThat(session.cartItemTotal()).isEqualByComparingTo("2.5");
    }

    @Test
    void evolve_rejects_a_non_created_event_on_a_missing_session_as_a_bug() {
        // given
        SessionEvent event = new SessionReopened(new EventMeta("c/0", "c", KEY, T0));

        // then
        assertThatThrownBy(() -> SessionDecider.evolve(Optional.empty(), event))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void evolve_rejects_a_second_creation_as_a_bug() {
        // given
        CustomerSession session = Sessions.open();
        SessionEvent created = new SessionCreated(new EventMeta("c/0", "c", KEY, T0), 1, OPEN, SessionChanges.NONE);

        // then
        assertThatThrownBy(() -> Sessions.evolve(session, created))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void evolve_rejects_an_event_of_another_session_as_a_bug() {
        // given
        CustomerSession session = Sessions.open();
        SessionEvent other = new SessionUpdated(
                new EventMeta("c/0", "c", new SessionKey(7, "other"), T0), SessionChanges.NONE);

        // then
        assertThatThrownBy(() -> Sessions.evolve(session, other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to session 7:other");
    }

    @Test
    void evolve_rejects_a_return_beyond_the_cart_as_a_bug() {
        // given
        CustomerSession closed = Sessions.closed();
        EventMeta meta = new EventMeta("c/0", "c", KEY, T0);

        // then
        assertThatThrownBy(() -> Sessions.evolve(closed, new SessionPartiallyReturned(meta, List.of(returned(9, 1)))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Sessions.evolve(closed, new SessionPartiallyReturned(meta, List.of(returned(0, 3)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 remain");
    }

    @Test
    void money_keeps_the_scale_the_client_sent() {
        // given
        CustomerSession session = given(upsert().cart(item("A", 1, "1.50")).build());

        // then
        assertThat(session.cartItems().get(0).price()).isEqualTo(new BigDecimal("1.50"));
        assertThat(session.cartItemTotal().toPlainString()).isEqualTo("1.50");
    }
}
