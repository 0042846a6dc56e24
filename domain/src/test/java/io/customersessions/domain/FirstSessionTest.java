package io.customersessions.domain;

import io.customersessions.domain.SessionEvent.SessionCreated;
import io.customersessions.domain.SessionEvent.SessionUpdated;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.customersessions.domain.Commands.KEY;
import static io.customersessions.domain.Commands.upsert;
import static io.customersessions.domain.Sessions.event;
import static io.customersessions.domain.Sessions.given;
import static org.assertj.core.api.Assertions.assertThat;

/** firstSession: true for anonymous sessions, else whether this is the profile's first session. */
class FirstSessionTest {

    private static final DecisionContext NEW_PROFILE = new DecisionContext(1, Optional.empty());
    private static final DecisionContext FIRST_IS_THIS_ONE = new DecisionContext(1, Optional.of(KEY.integrationId()));
    private static final DecisionContext FIRST_IS_ANOTHER = new DecisionContext(1, Optional.of("older-session"));

    private static SessionEvent decide(Optional<CustomerSession> state, Commands.Upsert command,
                                       DecisionContext context) {
        return event(SessionDecider.decide(state, command.build(), context));
    }

    @Test
    void an_anonymous_session_is_a_first_session() {
        // when
        SessionEvent created = decide(Optional.empty(), upsert(), FIRST_IS_ANOTHER);

        // then
        assertThat(((SessionCreated) created).changes().firstSession()).isTrue();
        assertThat(SessionDecider.evolve(Optional.empty(), created).firstSession()).isTrue();
    }

    @Test
    void the_first_session_of_a_new_profile_is_a_first_session() {
        // when
        SessionEvent created = decide(Optional.empty(), upsert().profile("p"), NEW_PROFILE);

        // then
        assertThat(SessionDecider.evolve(Optional.empty(), created).firstSession()).isTrue();
    }

    @Test
    void a_session_that_is_its_profiles_recorded_first_session_stays_a_first_session() {
        // when
        SessionEvent created = decide(Optional.empty(), upsert().profile("p"), FIRST_IS_THIS_ONE);

        // then
        assertThat(SessionDecider.evolve(Optional.empty(), created).firstSession()).isTrue();
    }

    @Test
    void a_later_session_of_a_known_profile_is_not_a_first_session() {
        // when
        SessionEvent created = decide(Optional.empty(), upsert().profile("p"), FIRST_IS_ANOTHER);

        // then
        assertThat(((SessionCreated) created).changes().firstSession()).isFalse();
        assertThat(SessionDecider.evolve(Optional.empty(), created).firstSession()).isFalse();
    }

    @Test
    void setting_the_profile_later_decides_firstSession_then() {
        // given
        CustomerSession anonymous = given(upsert().build());

        // when
        SessionEvent updated = decide(Optional.of(anonymous), upsert().profile("p"), FIRST_IS_ANOTHER);

        // then
        assertThat(((SessionUpdated) updated).changes().firstSession()).isFalse();
        CustomerSession after = Sessions.evolve(anonymous, updated);
        assertThat(after.profileId()).isEqualTo("p");
        assertThat(after.firstSession()).isFalse();
    }

    @Test
    void changing_to_another_profile_decides_firstSession_again() {
        // given
        CustomerSession session = given(upsert().profile("p").build());

        // when
        SessionEvent updated = decide(Optional.of(session), upsert().profile("q"), FIRST_IS_ANOTHER);

        // then
        assertThat(Sessions.evolve(session, updated).firstSession()).isFalse();
    }

    @Test
    void an_update_that_keeps_the_profile_leaves_firstSession_alone() {
        // given
        CustomerSession session = SessionDecider.evolve(Optional.empty(),
                decide(Optional.empty(), upsert().profile("p"), FIRST_IS_ANOTHER));

        // when the context would now say otherwise, but the profile did not change
        SessionEvent updated = decide(Optional.of(session), upsert().profile("p").coupons("C"), NEW_PROFILE);

        // then
        assertThat(((SessionUpdated) updated).changes().firstSession()).isNull();
        assertThat(Sessions.evolve(session, updated).firstSession()).isFalse();
    }

    @Test
    void going_back_to_anonymous_makes_it_a_first_session() {
        // given
        CustomerSession session = SessionDecider.evolve(Optional.empty(),
                decide(Optional.empty(), upsert().profile("p"), FIRST_IS_ANOTHER));

        // when
        SessionEvent updated = decide(Optional.of(session), upsert().profile(""), FIRST_IS_ANOTHER);

        // then
        CustomerSession after = Sessions.evolve(session, updated);
        assertThat(after.anonymous()).isTrue();
        assertThat(after.firstSession()).isTrue();
    }

    @Test
    void the_profile_of_a_closed_session_cannot_change() {
        // given
        CustomerSession closed = Sessions.closed();

        // when
        Decision decision = SessionDecider.decide(Optional.of(closed), upsert().profile("other").build(), NEW_PROFILE);

        // then
        assertThat(Sessions.rejection(decision).reason()).isEqualTo(Rejection.Reason.FORBIDDEN_TRANSITION);
    }
}
