package io.customersessions.domain;

import io.customersessions.domain.Rejection.Reason;
import io.customersessions.domain.Rejection.Violation;
import io.customersessions.domain.SessionEvent.SessionPartiallyReturned;
import org.junit.jupiter.api.Test;

import static io.customersessions.domain.Commands.item;
import static io.customersessions.domain.Commands.returnItems;
import static io.customersessions.domain.Commands.returned;
import static io.customersessions.domain.Commands.upsert;
import static io.customersessions.domain.Sessions.decide;
import static io.customersessions.domain.Sessions.event;
import static io.customersessions.domain.Sessions.given;
import static io.customersessions.domain.Sessions.rejection;
import static io.customersessions.domain.SessionState.CLOSED;
import static io.customersessions.domain.SessionState.PARTIALLY_RETURNED;
import static org.assertj.core.api.Assertions.assertThat;

/** Returning units of cart items of a closed or partially returned session. */
class ReturnsTest {

    /** 2 × A at 10.00 and 3 × B at 0.10, closed. */
    private final CustomerSession closed = Sessions.closed();

    @Test
    void a_return_raises_returnedQuantity_and_lowers_remainingQuantity() {
        // when
        CustomerSession after = given(closed, returnItems(returned(1, 2)));

        // then
        CartItem line = after.cartItems().get(1);
        assertThat(line.quantity()).isEqualTo(3);
        assertThat(line.returnedQuantity()).isEqualTo(2);
        assertThat(line.remainingQuantity()).isEqualTo(1);
        assertThat(after.cartItems().get(0).returnedQuantity()).isZero();
    }

    @Test
    void an_item_returned_without_a_quantity_is_returned_in_its_entirety_and_its_event_names_the_units() {
        // given one of B's three units already returned
        CustomerSession session = given(closed, returnItems(returned(1, 1)));

        // when
        SessionEvent event = event(decide(session, returnItems(ReturnedItem.entire(1))));

        // then
        assertThat(((SessionPartiallyReturned) event).returnedItems()).containsExactly(new ReturnedItem(1, 2));
        CartItem line = Sessions.evolve(session, event).cartItems().get(1);
        assertThat(line.returnedQuantity()).isEqualTo(3);
        assertThat(line.remainingQuantity()).isZero();
    }

    @Test
    void an_entire_return_of_an_item_with_nothing_left_is_refused() {
        // given every unit of B returned
        CustomerSession session = given(closed, returnItems(returned(1, 3)));

        // when
        Rejection rejection = rejection(decide(session, returnItems(ReturnedItem.entire(1))));

        // then
        assertThat(rejection.violations()).containsExactly(new Violation("/return/returnedCartItems/0",
                "nothing remains to return", "cart item 1 (sku B): every unit was returned already"));
    }

    @Test
    void an_entire_return_counts_every_remaining_unit_against_other_entries_for_the_same_item() {
        // when the whole of A (2 units) and one more unit of A are asked for
        Rejection rejection = rejection(decide(closed, returnItems(ReturnedItem.entire(0), returned(0, 1))));

        // then
        assertThat(rejection.violations()).extracting(Violation::title)
                .containsExactly("cannot return more than remains");
    }

    @Test
    void totals_count_only_the_remaining_units() {
        // when
        CustomerSession after = given(closed, returnItems(returned(0, 1), returned(1, 1)));

        // then 1 × 10.00 + 2 × 0.10
        assertThat(after.cartItemTotal()).isEqualByComparingTo("10.20");
        assertThat(after.total()).isEqualByComparingTo("10.20");
    }

    @Test
    void per_unit_item_costs_count_only_the_remaining_units() {
        // given
        CustomerSession session = given(upsert().state(CLOSED)
                .cart(item("A", 4, "1.00", java.util.Map.of("deposit", "0.25"))).build());

        // when
        CustomerSession after = given(session, returnItems(returned(0, 3)));

        // then 1 × 1.00 + 1 × 0.25
        assertThat(after.total()).isEqualByComparingTo("1.25");
    }

    @Test
    void returning_every_remaining_unit_leaves_the_session_partially_returned_with_total_zero() {
        // when
        CustomerSession after = given(closed, returnItems(returned(0, 2), returned(1, 3)));

        // then
        assertThat(after.state()).isEqualTo(PARTIALLY_RETURNED);
        assertThat(after.total()).isZero();
    }

    @Test
    void a_return_naming_thousands_of_missing_positions_lists_a_hundred_and_counts_the_rest() {
        // given 5 000 returned items, each naming a position the two-item cart does not have
        ReturnedItem[] missing = new ReturnedItem[5_000];
        java.util.Arrays.fill(missing, returned(99, 1));

        // when
        Rejection rejection = rejection(decide(closed, returnItems(missing)));

        // then the outcome written to the log stays small
        assertThat(rejection.violations()).hasSize(SessionLimits.MAX_VIOLATIONS + 1);
        assertThat(rejection.violations().get(0).title()).isEqualTo("no such cart item");
        assertThat(rejection.violations().get(SessionLimits.MAX_VIOLATIONS))
                .isEqualTo(new Violation("", "more errors", "4900 more errors are not listed"));
    }

    @Test
    void returning_more_than_the_quantity_is_rejected() {
        // when
        Rejection rejection = rejection(decide(closed, returnItems(returned(0, 3))));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_INPUT);
        assertThat(rejection.message()).isEqualTo("cannot return more than remains");
        assertThat(rejection.violations()).containsExactly(new Violation("/return/returnedCartItems/0/quantity",
                "cannot return more than remains", "cart item 0 (sku A): 3 units requested in total, 2 remain"));
    }

    @Test
    void returning_more_than_remains_after_an_earlier_return_is_rejected() {
        // given
        CustomerSession partiallyReturned = given(closed, returnItems(returned(1, 2)));

        // when
        Rejection rejection = rejection(decide(partiallyReturned, returnItems(returned(1, 2))));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_INPUT);
        assertThat(rejection.violations()).singleElement()
                .extracting(Violation::details).isEqualTo("cart item 1 (sku B): 2 units requested in total, 1 remain");
    }

    @Test
    void duplicate_positions_in_one_request_are_summed() {
        // when
        CustomerSession after = given(closed, returnItems(returned(1, 1), returned(1, 2)));

        // then
        assertThat(after.cartItems().get(1).returnedQuantity()).isEqualTo(3);
    }

    @Test
    void duplicate_positions_that_together_exceed_what_remains_are_rejected() {
        // when
        Rejection rejection = rejection(decide(closed, returnItems(returned(0, 1), returned(1, 1), returned(0, 2))));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_INPUT);
        assertThat(rejection.violations()).containsExactly(new Violation("/return/returnedCartItems/0/quantity",
                "cannot return more than remains", "cart item 0 (sku A): 3 units requested in total, 2 remain"));
    }

    @Test
    void a_position_outside_the_cart_is_rejected_with_a_pointer_to_it() {
        // when
        Rejection rejection = rejection(decide(closed, returnItems(returned(0, 1), returned(2, 1))));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.INVALID_INPUT);
        assertThat(rejection.message()).isEqualTo("no such cart item");
        assertThat(rejection.violations()).containsExactly(new Violation("/return/returnedCartItems/1/position",
                "no such cart item", "position 2 does not exist; the session has 2 cart items (positions 0 to 1)"));
    }

    @Test
    void every_problem_of_a_return_is_reported_at_once() {
        // when
        Rejection rejection = rejection(decide(closed, returnItems(returned(5, 1), returned(1, 4), returned(7, 1))));

        // then
        assertThat(rejection.message()).isEqualTo("no such cart item; cannot return more than remains");
        assertThat(rejection.violations()).extracting(Violation::pointer).containsExactly(
                "/return/returnedCartItems/0/position", "/return/returnedCartItems/2/position",
                "/return/returnedCartItems/1/quantity");
    }

    @Test
    void a_return_from_an_empty_cart_is_rejected() {
        // given
        CustomerSession empty = given(upsert().state(CLOSED).build());

        // when
        Rejection rejection = rejection(decide(empty, returnItems(returned(0, 1))));

        // then
        assertThat(rejection.violations()).singleElement().extracting(Violation::details)
                .isEqualTo("position 0 does not exist; the session has 0 cart items");
    }

    @Test
    void a_rejected_return_changes_nothing() {
        // when
        Decision decision = decide(closed, returnItems(returned(0, 1), returned(0, 5)));

        // then
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        assertThat(closed.cartItems()).allSatisfy(line -> assertThat(line.returnedQuantity()).isZero());
    }

    @Test
    void the_idempotency_key_of_a_return_is_recorded_on_its_event() {
        // when
        SessionEvent keyed = event(decide(closed, returnItems("return-7f3a", returned(0, 1))));
        SessionEvent plain = event(decide(closed, returnItems(returned(0, 1))));

        // then
        assertThat(((SessionPartiallyReturned) keyed).idempotencyKey()).isEqualTo("return-7f3a");
        assertThat(((SessionPartiallyReturned) plain).idempotencyKey()).isNull();
    }

    @Test
    void the_idempotency_key_does_not_change_how_a_return_folds() {
        // when
        CustomerSession keyed = given(closed, returnItems("return-7f3a", returned(0, 1)));
        CustomerSession plain = given(closed, returnItems(returned(0, 1)));

        // then
        assertThat(keyed).isEqualTo(plain);
    }
}
