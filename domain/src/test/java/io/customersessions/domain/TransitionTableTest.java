package io.customersessions.domain;

import io.customersessions.domain.Rejection.Reason;
import io.customersessions.domain.SessionEvent.SessionCancelled;
import io.customersessions.domain.SessionEvent.SessionClosed;
import io.customersessions.domain.SessionEvent.SessionCreated;
import io.customersessions.domain.SessionEvent.SessionDiscountsSet;
import io.customersessions.domain.SessionEvent.SessionPartiallyReturned;
import io.customersessions.domain.SessionEvent.SessionRedacted;
import io.customersessions.domain.SessionEvent.SessionReopened;
import io.customersessions.domain.SessionEvent.SessionRevoked;
import io.customersessions.domain.SessionEvent.SessionUpdated;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static io.customersessions.domain.Commands.KEY;
import static io.customersessions.domain.Commands.item;
import static io.customersessions.domain.Commands.redact;
import static io.customersessions.domain.Commands.reopen;
import static io.customersessions.domain.Commands.returnItems;
import static io.customersessions.domain.Commands.returned;
import static io.customersessions.domain.Commands.setDiscounts;
import static io.customersessions.domain.Commands.upsert;
import static io.customersessions.domain.Sessions.decide;
import static io.customersessions.domain.Sessions.decideNew;
import static io.customersessions.domain.Sessions.evolve;
import static io.customersessions.domain.Sessions.event;
import static io.customersessions.domain.Sessions.rejection;
import static io.customersessions.domain.SessionState.CANCELLED;
import static io.customersessions.domain.SessionState.CLOSED;
import static io.customersessions.domain.SessionState.OPEN;
import static io.customersessions.domain.SessionState.PARTIALLY_RETURNED;
import static org.assertj.core.api.Assertions.assertThat;

/** The full state × command table: every allowed transition and every forbidden one. */
class TransitionTableTest {

    @Nested
    class No_session {

        @Test
        void upsert_without_state_creates_an_open_session() {
            // when
            SessionEvent event = event(decideNew(upsert().cart(item("A", 1, "5")).build()));

            // then
            assertThat(event).isInstanceOf(SessionCreated.class);
            SessionCreated created = (SessionCreated) event;
            assertThat(created.state()).isEqualTo(OPEN);
            assertThat(created.sessionId()).isEqualTo(Sessions.SESSION_ID);
            assertThat(created.talonType()).isEqualTo("talon_session_created");
            CustomerSession session = SessionDecider.evolve(java.util.Optional.empty(), event);
            assertThat(session.state()).isEqualTo(OPEN);
            assertThat(session.id()).isEqualTo(Sessions.SESSION_ID);
            assertThat(session.key()).isEqualTo(KEY);
        }

        @Test
        void upsert_with_state_open_creates_an_open_session() {
            // when
            SessionEvent event = event(decideNew(upsert().state(OPEN).build()));

            // then
            assertThat(((SessionCreated) event).state()).isEqualTo(OPEN);
        }

        @Test
        void upsert_with_state_closed_creates_a_closed_session() {
            // when
            SessionEvent event = event(decideNew(upsert().state(CLOSED).cart(item("A", 1, "5")).build()));

            // then
            assertThat(((SessionCreated) event).state()).isEqualTo(CLOSED);
            assertThat(SessionDecider.evolve(java.util.Optional.empty(), event).state()).isEqualTo(CLOSED);
        }

        @ParameterizedTest
        @EnumSource(value = SessionState.class, names = {"CANCELLED", "PARTIALLY_RETURNED"})
        void upsert_creating_a_session_in_another_state_is_forbidden(SessionState state) {
            // when
            Rejection rejection = rejection(decideNew(upsert().state(state).build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo(
                    "a session can only be created open or closed, not " + state.wireName());
        }

        @Test
        void return_items_of_a_missing_session_is_not_found() {
            // when
            Rejection rejection = rejection(decideNew(returnItems(returned(0, 1))));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.NOT_FOUND);
            assertThat(rejection.message()).isEqualTo("customer session 'session-1' does not exist");
        }

        @Test
        void reopen_of_a_missing_session_is_not_found() {
            // when
            Rejection rejection = rejection(decideNew(reopen()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.NOT_FOUND);
            assertThat(rejection.message()).contains("'session-1' does not exist");
        }

        @Test
        void set_discounts_of_a_missing_session_is_not_found() {
            // when
            Rejection rejection = rejection(decideNew(setDiscounts("10% off", "2.00")));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.NOT_FOUND);
            assertThat(rejection.message()).isEqualTo("customer session 'session-1' does not exist");
        }
    }

    @Nested
    class Open {

        private final CustomerSession open = Sessions.open();

        @Test
        void upsert_without_state_emits_SessionUpdated_and_stays_open() {
            // when
            SessionEvent event = event(decide(open, upsert().coupons("WINTER").build()));

            // then
            assertThat(event).isInstanceOf(SessionUpdated.class);
            assertThat(event.talonType()).isEqualTo("talon_session_updated");
            assertThat(evolve(open, event).state()).isEqualTo(OPEN);
        }

        @Test
        void upsert_with_state_open_emits_SessionUpdated() {
            // when
            SessionEvent event = event(decide(open, upsert().state(OPEN).build()));

            // then
            assertThat(event).isInstanceOf(SessionUpdated.class);
            assertThat(evolve(open, event).state()).isEqualTo(OPEN);
        }

        @Test
        void closing_an_open_session_emits_SessionClosed_with_the_updates_changes() {
            // when
            SessionEvent event = event(decide(open, upsert().state(CLOSED).coupons("WINTER").build()));

            // then
            assertThat(event).isInstanceOf(SessionClosed.class);
            assertThat(event.talonType()).isEqualTo("talon_session_closed");
            assertThat(((SessionClosed) event).changes().couponCodes()).containsExactly("WINTER");
            CustomerSession closed = evolve(open, event);
            assertThat(closed.state()).isEqualTo(CLOSED);
            assertThat(closed.couponCodes()).containsExactly("WINTER");
        }

        @Test
        void cancelling_an_open_session_emits_SessionCancelled_with_the_updates_changes() {
            // when
            SessionEvent event = event(decide(open, upsert().state(CANCELLED).referral("FRIEND").build()));

            // then
            assertThat(event).isInstanceOf(SessionCancelled.class);
            assertThat(event.talonType()).isEqualTo("talon_session_cancelled");
            assertThat(((SessionCancelled) event).changes().referralCode()).isEqualTo("FRIEND");
            CustomerSession cancelled = evolve(open, event);
            assertThat(cancelled.state()).isEqualTo(CANCELLED);
            assertThat(cancelled.referralCode()).isEqualTo("FRIEND");
        }

        @Test
        void upsert_to_partially_returned_is_forbidden_because_only_returns_do_that() {
            // when
            Rejection rejection = rejection(decide(open, upsert().state(PARTIALLY_RETURNED).build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo(
                    "a session becomes partially_returned only via return cart items, and only once closed");
        }

        @Test
        void return_items_of_an_open_session_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(open, returnItems(returned(0, 1))));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo(
                    "only a closed or partially_returned session accepts returns; this one is open");
        }

        @Test
        void reopen_of_an_open_session_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(open, reopen()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo("only a closed session can be reopened; this one is open");
        }

        @Test
        void setting_discounts_of_an_open_session_emits_SessionDiscountsSet_and_stays_open() {
            // when
            SessionEvent event = event(decide(open, setDiscounts("10% off", "2.00")));

            // then
            assertThat(event).isInstanceOf(SessionDiscountsSet.class);
            assertThat(event.talonType()).isEqualTo("talon_session_discounts_set");
            CustomerSession after = evolve(open, event);
            assertThat(after.state()).isEqualTo(OPEN);
            assertThat(after.discounts()).isEqualTo(Commands.costs("10% off", "2.00"));
        }
    }

    @Nested
    class Closed {

        private final CustomerSession closed = Sessions.closed();

        @Test
        void cancelling_a_closed_session_emits_SessionRevoked_from_closed() {
            // when
            SessionEvent event = event(decide(closed, upsert().state(CANCELLED).build()));

            // then
            assertThat(event).isEqualTo(new SessionRevoked(event.meta(), CLOSED));
            assertThat(event.talonType()).isEqualTo("talon_session_revoked");
            CustomerSession cancelled = evolve(closed, event);
            assertThat(cancelled.state()).isEqualTo(CANCELLED);
            assertThat(cancelled.cartItems()).isEqualTo(closed.cartItems());
        }

        @Test
        void cancelling_a_closed_session_while_resending_its_unchanged_content_emits_SessionRevoked() {
            // given the client resends the whole session, as many checkouts do
            var command = upsert().state(CANCELLED).profile("customer-1").cart(Sessions.standardCart())
                    .coupons("SUMMER").build();

            // when
            SessionEvent event = event(decide(closed, command));

            // then
            assertThat(event).isInstanceOf(SessionRevoked.class);
        }

        @Test
        void cancelling_a_closed_session_while_resending_its_prices_with_other_trailing_zeros_emits_SessionRevoked() {
            // given the same cart, its prices written 10.0 and 0.100 rather than 10.00 and 0.10
            var command = upsert().state(CANCELLED).cart(item("A", 2, "10.0"), item("B", 3, "0.100")).build();

            // when
            SessionEvent event = event(decide(closed, command));

            // then
            assertThat(event).isInstanceOf(SessionRevoked.class);
        }

        @Test
        void cancelling_a_closed_session_while_changing_its_content_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(closed, upsert().state(CANCELLED).coupons("OTHER").build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo("a closed session's content cannot change; "
                    + "only state=cancelled is accepted, with no other changes");
        }

        @Test
        void updating_a_closed_session_without_state_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(closed, upsert().coupons("OTHER").build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo("a closed session cannot be updated; "
                    + "only state=cancelled is accepted, or reopen it first");
        }

        @Test
        void closing_a_closed_session_again_is_forbidden_even_without_changes() {
            // when
            Rejection rejection = rejection(decide(closed, upsert().state(CLOSED).build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).startsWith("a closed session cannot be updated");
        }

        @Test
        void setting_a_closed_session_open_by_upsert_is_forbidden_and_points_to_reopen() {
            // when
            Rejection rejection = rejection(decide(closed, upsert().state(OPEN).build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message())
                    .isEqualTo("a closed session cannot be set to open by an update; use reopen");
        }

        @Test
        void setting_a_closed_session_partially_returned_by_upsert_is_forbidden_and_points_to_returns() {
            // when
            Rejection rejection = rejection(decide(closed, upsert().state(PARTIALLY_RETURNED).build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo(
                    "a session becomes partially_returned only via return cart items; use returns");
        }

        @Test
        void returning_items_of_a_closed_session_emits_SessionPartiallyReturned() {
            // when
            SessionEvent event = event(decide(closed, returnItems(returned(1, 2))));

            // then
            assertThat(event).isInstanceOf(SessionPartiallyReturned.class);
            assertThat(event.talonType()).isEqualTo("talon_session_partially_returned");
            assertThat(((SessionPartiallyReturned) event).returnedItems()).containsExactly(returned(1, 2));
            CustomerSession returned = evolve(closed, event);
            assertThat(returned.state()).isEqualTo(PARTIALLY_RETURNED);
            assertThat(returned.cartItems().get(1).returnedQuantity()).isEqualTo(2);
        }

        @Test
        void reopening_a_closed_session_emits_SessionReopened_and_opens_it() {
            // when
            SessionEvent event = event(decide(closed, reopen()));

            // then
            assertThat(event).isInstanceOf(SessionReopened.class);
            assertThat(event.talonType()).isEqualTo("talon_session_reopened");
            CustomerSession reopened = evolve(closed, event);
            assertThat(reopened.state()).isEqualTo(OPEN);
            assertThat(reopened.cartItems()).isEqualTo(closed.cartItems());
        }

        @Test
        void a_reopened_session_accepts_updates_again() {
            // given
            CustomerSession reopened = Sessions.given(closed, reopen());

            // when
            SessionEvent event = event(decide(reopened, upsert().cart(item("C", 1, "1")).state(CLOSED).build()));

            // then
            assertThat(event).isInstanceOf(SessionClosed.class);
            assertThat(evolve(reopened, event).cartItems()).containsExactly(item("C", 1, "1"));
        }

        @Test
        void setting_discounts_of_a_closed_session_emits_SessionDiscountsSet_and_stays_closed() {
            // when
            SessionEvent event = event(decide(closed, setDiscounts("final settlement", "3.50")));

            // then
            assertThat(event).isInstanceOf(SessionDiscountsSet.class);
            CustomerSession after = evolve(closed, event);
            assertThat(after.state()).isEqualTo(CLOSED);
            assertThat(after.discounts()).isEqualTo(Commands.costs("final settlement", "3.50"));
        }
    }

    @Nested
    class Partially_returned {

        private final CustomerSession partiallyReturned = Sessions.partiallyReturned();

        @Test
        void cancelling_a_partially_returned_session_emits_SessionRevoked_from_partially_returned() {
            // when
            SessionEvent event = event(decide(partiallyReturned, upsert().state(CANCELLED).build()));

            // then
            assertThat(event).isEqualTo(new SessionRevoked(event.meta(), PARTIALLY_RETURNED));
            CustomerSession cancelled = evolve(partiallyReturned, event);
            assertThat(cancelled.state()).isEqualTo(CANCELLED);
            assertThat(cancelled.cartItems().get(0).returnedQuantity()).isEqualTo(1);
        }

        @Test
        void cancelling_a_partially_returned_session_while_resending_its_cart_as_sold_emits_SessionRevoked() {
            // given the client resends the cart it sold, which knows nothing of the unit returned since
            var command = upsert().state(CANCELLED).profile("customer-1").cart(Sessions.standardCart())
                    .coupons("SUMMER").build();

            // when
            SessionEvent event = event(decide(partiallyReturned, command));

            // then the returned unit stays returned
            assertThat(event).isEqualTo(new SessionRevoked(event.meta(), PARTIALLY_RETURNED));
            assertThat(evolve(partiallyReturned, event).cartItems().get(0).returnedQuantity()).isEqualTo(1);
        }

        @Test
        void cancelling_a_partially_returned_session_while_changing_a_lines_quantity_is_forbidden() {
            // when the first line's quantity drops from 2 to 1, as if the return were folded into the cart
            Rejection rejection = rejection(decide(partiallyReturned,
                    upsert().state(CANCELLED).cart(item("A", 1, "10.00"), item("B", 3, "0.10")).build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
        }

        @Test
        void cancelling_a_partially_returned_session_while_changing_its_content_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(partiallyReturned,
                    upsert().state(CANCELLED).cart(item("X", 1, "1")).build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo("a partially_returned session's content cannot change; "
                    + "only state=cancelled is accepted, with no other changes");
        }

        @Test
        void updating_a_partially_returned_session_without_state_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(partiallyReturned, upsert().referral("R").build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo(
                    "a partially_returned session cannot be updated; only state=cancelled is accepted");
        }

        @Test
        void upsert_with_state_partially_returned_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(partiallyReturned, upsert().state(PARTIALLY_RETURNED).build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).startsWith("a partially_returned session cannot be updated");
        }

        @Test
        void setting_a_partially_returned_session_open_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(partiallyReturned, upsert().state(OPEN).build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo(
                    "a partially_returned session cannot be reopened; it can only be cancelled");
        }

        @Test
        void closing_a_partially_returned_session_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(partiallyReturned, upsert().state(CLOSED).build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo(
                    "a partially_returned session cannot be closed again; it can only be cancelled");
        }

        @Test
        void returning_more_items_emits_another_SessionPartiallyReturned_and_accumulates() {
            // when
            SessionEvent event = event(decide(partiallyReturned, returnItems(returned(0, 1))));

            // then
            assertThat(event).isInstanceOf(SessionPartiallyReturned.class);
            CustomerSession after = evolve(partiallyReturned, event);
            assertThat(after.state()).isEqualTo(PARTIALLY_RETURNED);
            assertThat(after.cartItems().get(0).returnedQuantity()).isEqualTo(2);
            assertThat(after.cartItems().get(0).remainingQuantity()).isZero();
        }

        @Test
        void reopening_a_partially_returned_session_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(partiallyReturned, reopen()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo(
                    "only a closed session can be reopened; this one is partially_returned");
        }

        @Test
        void setting_discounts_of_a_partially_returned_session_is_forbidden() {
            // when
            Rejection rejection = rejection(decide(partiallyReturned, setDiscounts("late", "1.00")));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(rejection.message()).isEqualTo(
                    "discounts can be set only on an open or closed session; this one is partially_returned");
        }
    }

    @Nested
    class Cancelled {

        private static final String FINAL =
                "the session is cancelled, and cancelled is final: it accepts no more changes";

        /** Both ways into cancelled: cancelling an open session and revoking a closed one. */
        private final List<CustomerSession> cancelledSessions = List.of(
                Sessions.cancelled(),
                Sessions.given(Sessions.closed(), upsert().state(CANCELLED).build()));

        @ParameterizedTest
        @EnumSource(SessionState.class)
        void upsert_of_a_cancelled_session_is_forbidden_whatever_the_state(SessionState state) {
            for (CustomerSession cancelled : cancelledSessions) {
                // when
                Rejection rejection = rejection(decide(cancelled, upsert().state(state).build()));

                // then
                assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
                assertThat(rejection.message()).isEqualTo(FINAL);
            }
        }

        @Test
        void upsert_without_state_of_a_cancelled_session_is_forbidden() {
            for (CustomerSession cancelled : cancelledSessions) {
                // when
                Rejection rejection = rejection(decide(cancelled, upsert().coupons("X").build()));

                // then
                assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
                assertThat(rejection.message()).isEqualTo(FINAL);
            }
        }

        @Test
        void return_items_of_a_cancelled_session_is_forbidden() {
            for (CustomerSession cancelled : cancelledSessions) {
                // when
                Rejection rejection = rejection(decide(cancelled, returnItems(returned(0, 1))));

                // then
                assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
                assertThat(rejection.message()).isEqualTo(FINAL);
            }
        }

        @Test
        void reopen_of_a_cancelled_session_is_forbidden() {
            for (CustomerSession cancelled : cancelledSessions) {
                // when
                Rejection rejection = rejection(decide(cancelled, reopen()));

                // then
                assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
                assertThat(rejection.message()).isEqualTo(FINAL);
            }
        }

        @Test
        void set_discounts_of_a_cancelled_session_is_forbidden() {
            for (CustomerSession cancelled : cancelledSessions) {
                // when
                Rejection rejection = rejection(decide(cancelled, setDiscounts("late", "1.00")));

                // then
                assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
                assertThat(rejection.message()).isEqualTo(FINAL);
            }
        }
    }

    /** Erasure is a legal duty, not a change of the sale: every existing session accepts it, whatever its state. */
    @Nested
    class Redaction {

        @Test
        void redacting_a_missing_session_is_not_found() {
            // when
            Rejection rejection = rejection(decideNew(redact()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.NOT_FOUND);
            assertThat(rejection.message()).isEqualTo("customer session 'session-1' does not exist");
        }

        @ParameterizedTest
        @EnumSource(SessionState.class)
        void redacting_a_session_in_any_state_emits_SessionRedacted_and_keeps_the_state(SessionState state) {
            // given
            CustomerSession session = switch (state) {
                case OPEN -> Sessions.open();
                case CLOSED -> Sessions.closed();
                case PARTIALLY_RETURNED -> Sessions.partiallyReturned();
                case CANCELLED -> Sessions.cancelled();
            };

            // when
            SessionEvent event = event(decide(session, redact()));

            // then
            assertThat(event).isInstanceOf(SessionRedacted.class);
            assertThat(event.talonType()).isEqualTo("talon_session_redacted");
            assertThat(((SessionRedacted) event).requestedBy()).isEqualTo("integration-api-key:0123456789ab");
            CustomerSession after = evolve(session, event);
            assertThat(after.state()).isEqualTo(state);
            assertThat(after.updateCount()).isEqualTo(session.updateCount() + 1);
            assertThat(after.profileId()).isEmpty();
        }

        @Test
        void a_checkout_cancels_an_erased_closed_session_by_sending_its_copy_with_the_personal_data_again() {
            // given a closed session whose customer's data was erased
            CustomerSession erased = Sessions.given(Sessions.closed(), redact());
            var copy = upsert().state(CANCELLED).profile("customer-1").identifiers("device-1")
                    .loyaltyCards("card-1").attributes(Commands.attributes("city", "\"Berlin\""))
                    .cart(new CartItem(null, "A", 2, 0, new java.math.BigDecimal("10.00"), null, null, null, null,
                            null, null, Commands.attributes("colour", "\"red\""), null), item("B", 3, "0.10"))
                    .coupons("SUMMER");

            // when
            SessionEvent event = event(decide(erased, copy.build()));

            // then nothing of the copy is stored: the session is revoked as it is
            assertThat(event).isEqualTo(new SessionRevoked(event.meta(), CLOSED));
            assertThat(evolve(erased, event).profileId()).isEmpty();
        }

        @Test
        void an_erased_settled_session_still_refuses_a_cancel_that_changes_what_accounting_keeps() {
            // given
            CustomerSession erased = Sessions.given(Sessions.partiallyReturned(), redact());

            // when
            Rejection rejection = rejection(decide(erased, upsert().state(CANCELLED).profile("customer-1")
                    .coupons("OTHER").build()));

            // then
            assertThat(rejection.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
        }

        @Test
        void a_settled_session_that_was_not_erased_refuses_a_cancel_that_changes_its_personal_data() {
            // given
            CustomerSession closed = Sessions.given(upsert().profile("customer-1")
                    .attributes(Commands.attributes("city", "\"Berlin\"")).cart(Sessions.standardCart()).build(),
                    upsert().state(CLOSED).build());

            // when
            Rejection otherProfile = rejection(decide(closed, upsert().state(CANCELLED).profile("customer-2")
                    .build()));
            Rejection otherAttributes = rejection(decide(closed, upsert().state(CANCELLED)
                    .attributes(Commands.attributes("city", "\"Paris\"")).build()));

            // then
            assertThat(otherProfile.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
            assertThat(otherAttributes.reason()).isEqualTo(Reason.FORBIDDEN_TRANSITION);
        }

        @Test
        void redacting_a_revoked_session_is_accepted() {
            // given
            CustomerSession revoked = Sessions.given(Sessions.closed(), upsert().state(CANCELLED).build());

            // when
            SessionEvent event = event(decide(revoked, redact()));

            // then
            assertThat(event).isInstanceOf(SessionRedacted.class);
            assertThat(evolve(revoked, event).state()).isEqualTo(CANCELLED);
        }

        @Test
        void redacting_an_already_redacted_session_is_accepted_again_and_changes_only_the_count() {
            // given
            CustomerSession redacted = Sessions.given(Sessions.open(), redact());

            // when
            CustomerSession again = evolve(redacted, event(decide(redacted, redact())));

            // then
            assertThat(again.updateCount()).isEqualTo(redacted.updateCount() + 1);
            assertThat(again).usingRecursiveComparison().ignoringFields("updateCount").isEqualTo(redacted);
        }
    }
}
