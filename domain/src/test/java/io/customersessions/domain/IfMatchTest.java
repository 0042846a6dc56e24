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
}
