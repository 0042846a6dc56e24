package io.customersessions.domain;

import io.customersessions.domain.Rejection.Reason;
import io.customersessions.domain.SessionEvent.SessionUpdated;
import org.junit.jupiter.api.Test;

import static io.customersessions.domain.Commands.T0;
import static io.customersessions.domain.Commands.reopen;
import static io.customersessions.domain.Commands.returnItems;
import static io.customersessions.domain.Commands.returned;
import static io.customersessions.domain.Commands.upsert;
import static io.customersessions.domain.Sessions.decide;
import static io.customersessions.domain.Sessions.decideNew;
import static io.customersessions.domain.Sessions.event;
import static io.customersessions.domain.Sessions.rejection;
import static org.assertj.core.api.Assertions.assertThat;

/** If-Match: a command carrying the updateCount the client last read. */
class IfMatchTest {

    private final CustomerSession open = Sessions.open();

    @Test
    void a_matching_updateCount_is_accepted() {
        // when
        SessionEvent event = event(decide(open, upsert().ifMatch(open.updateCount()).coupons("X").build()));

        // then
        assertThat(event).isInstanceOf(SessionUpdated.class);
    }

    @Test
    void a_stale_updateCount_is_a_version_mismatch() {
        // given
        CustomerSession updated = Sessions.given(open, upsert().coupons("X").build());

        // when
        Rejection rejection = rejection(decide(updated, upsert().ifMatch(1).coupons("Y").build()));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.VERSION_MISMATCH);
        assertThat(rejection.message()).isEqualTo("If-Match expected updateCount 1 but the session's updateCount is 2");
    }

    @Test
    void if_match_on_a_missing_session_is_a_version_mismatch() {
        // when
        Rejection rejection = rejection(decideNew(upsert().ifMatch(1).build()));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.VERSION_MISMATCH);
        assertThat(rejection.message()).isEqualTo("If-Match expected updateCount 1 but the session does not exist");
    }

    @Test
    void if_match_applies_to_returns_and_reopens_too() {
        // given
        CustomerSession closed = Sessions.closed();

        // then
        assertThat(rejection(decide(closed, returnItems(0, T0, returned(0, 1)))).reason())
                .isEqualTo(Reason.VERSION_MISMATCH);
        assertThat(rejection(decide(closed, reopen(closed.updateCount() + 1, T0))).reason())
                .isEqualTo(Reason.VERSION_MISMATCH);
        assertThat(event(decide(closed, reopen(closed.updateCount(), T0))))
                .isInstanceOf(SessionEvent.SessionReopened.class);
    }

    @Test
    void a_version_mismatch_is_reported_before_the_state_machine_is_consulted() {
        // given
        CustomerSession cancelled = Sessions.cancelled();

        // when
        Rejection rejection = rejection(decide(cancelled, reopen(99, T0)));

        // then
        assertThat(rejection.reason()).isEqualTo(Reason.VERSION_MISMATCH);
    }

    @Test
    void without_if_match_any_updateCount_is_accepted() {
        // given
        CustomerSession updated = Sessions.given(open, upsert().build(), upsert().build());

        // then
        assertThat(updated.updateCount()).isEqualTo(3);
        assertThat(event(decide(updated, upsert().ifMatch(null).coupons("Z").build())))
                .isInstanceOf(SessionUpdated.class);
    }

    @Test
    void if_match_any_updates_an_existing_session_and_never_creates_one() {
        // when
        Decision update = decide(open, upsert().ifMatch(SessionCommand.EXISTS).coupons("X").build());
        Rejection create = rejection(decideNew(upsert().ifMatch(SessionCommand.EXISTS).coupons("X").build()));

        // then
        assertThat(event(update)).isInstanceOf(SessionUpdated.class);
        assertThat(create.reason()).isEqualTo(Reason.VERSION_MISMATCH);
        assertThat(create.message())
                .isEqualTo("If-Match: * expected an existing session but the session does not exist");
    }

    @Test
    void if_none_match_any_creates_a_session_and_never_overwrites_one() {
        // when
        Decision create = decideNew(upsert().ifMatch(SessionCommand.ABSENT).coupons("X").build());
        Rejection overwrite = rejection(decide(open, upsert().ifMatch(SessionCommand.ABSENT).coupons("X").build()));

        // then
        assertThat(event(create)).isInstanceOf(SessionEvent.SessionCreated.class);
        assertThat(overwrite.reason()).isEqualTo(Reason.VERSION_MISMATCH);
        assertThat(overwrite.message())
                .isEqualTo("If-None-Match: * expected no session but the session's updateCount is "
                        + open.updateCount());
    }

    @Test
    void if_match_any_holds_in_every_state_and_the_state_machine_still_decides() {
        // given
        CustomerSession cancelled = Sessions.cancelled();
        CustomerSession closed = Sessions.closed();

        // then
        assertThat(rejection(decide(cancelled, upsert().ifMatch(SessionCommand.EXISTS).build())).reason())
                .isEqualTo(Reason.FORBIDDEN_TRANSITION);
        assertThat(event(decide(closed, reopen(SessionCommand.EXISTS, T0))))
                .isInstanceOf(SessionEvent.SessionReopened.class);
        assertThat(rejection(decideNew(reopen(SessionCommand.ABSENT, T0))).reason()).isEqualTo(Reason.NOT_FOUND);
    }

    @Test
    void a_command_that_needs_a_session_is_a_404_for_a_missing_one_whatever_its_precondition() {
        for (Integer expected : new Integer[] {null, SessionCommand.EXISTS, SessionCommand.ABSENT, 1}) {
            // when
            Rejection reopen = rejection(decideNew(reopen(expected, T0)));
            Rejection returned = rejection(decideNew(returnItems(expected, T0, returned(0, 1))));

            // then
            assertThat(reopen.reason()).as("If-Match %s", expected).isEqualTo(Reason.NOT_FOUND);
            assertThat(returned.reason()).as("If-Match %s", expected).isEqualTo(Reason.NOT_FOUND);
        }
    }
}
