package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.SessionEvent;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The processor topology with real Avro serdes (in-memory registry) and no broker. */
class SessionTopologyTest {

    private final TopologyFixture fixture = new TopologyFixture();
    private final TestOutputTopic<String, SessionEvent> events = fixture.events;
    private final TestOutputTopic<String, CustomerSessionState> states = fixture.states;
    private final TestOutputTopic<String, CommandOutcome> outcomes = fixture.outcomes;
    private final TestOutputTopic<String, String> profileClaims = fixture.profileClaims;
    private final KeyValueStore<String, CustomerSessionState> store = fixture.store(Topics.SESSION_STORE);

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void an_accepted_create_appends_one_event_stores_the_state_and_publishes_it() {
        // given
        SessionKey key = key("s-1");

        // when
        send(upsert(key, Optional.of(SessionState.OPEN), changes("customer-1", CartItem.of("sku-1", 2, new BigDecimal("9.99")))));

        // then
        List<SessionEvent> appended = events.readValuesToList();
        assertThat(appended).hasSize(1);
        assertThat(appended.get(0).getPayload()).isInstanceOf(io.customersessions.avro.SessionCreated.class);
        assertThat(appended.get(0).getIntegrationId()).isEqualTo("s-1");

        CustomerSessionState stored = store.get(key.asString());
        assertThat(stored.getUpdateCount()).isEqualTo(1);
        assertThat(stored.getState()).isEqualTo("open");
        assertThat(stored.getCartItemTotal()).isEqualTo("19.98");
        assertThat(stored.getFirstSession()).isTrue();

        var changeFeed = states.readKeyValuesToList();
        assertThat(changeFeed).hasSize(1);
        assertThat(changeFeed.get(0).key).isEqualTo(key.asString());
        assertThat(changeFeed.get(0).value).isEqualTo(stored);

        CommandOutcome outcome = outcomes.readValue();
        assertThat(outcome.getAccepted()).isTrue();
        assertThat(outcome.getEventTypes()).containsExactly("talon_session_created");
        assertThat(outcome.getSession()).isEqualTo(stored);
    }

    @Test
    void updates_fold_into_the_stored_state_and_count() {
        // given
        SessionKey key = key("s-2");
        send(upsert(key, Optional.empty(), changes("", CartItem.of("a", 1, new BigDecimal("0.10")))));

        // when
        send(upsert(key, Optional.empty(), changes(null, CartItem.of("a", 3, new BigDecimal("0.10")))));
        send(upsert(key, Optional.of(SessionState.CLOSED), SessionChanges.NONE));

        // then
        assertThat(events.readValuesToList()).extracting(e -> e.getPayload().getClass().getSimpleName())
                .containsExactly("SessionCreated", "SessionUpdated", "SessionClosed");
        CustomerSessionState stored = store.get(key.asString());
        assertThat(stored.getUpdateCount()).isEqualTo(3);
        assertThat(stored.getState()).isEqualTo("closed");
        assertThat(new BigDecimal(stored.getTotal())).isEqualByComparingTo("0.30");
        assertThat(states.readValuesToList()).extracting(CustomerSessionState::getUpdateCount).containsExactly(1, 2, 3);
    }

    @Test
    void a_forbidden_transition_appends_nothing_and_answers_with_the_reason() {
        // given
        SessionKey key = key("s-3");
        send(upsert(key, Optional.of(SessionState.OPEN), SessionChanges.NONE));
        send(upsert(key, Optional.of(SessionState.CANCELLED), SessionChanges.NONE));
        events.readValuesToList();
        states.readValuesToList();
        outcomes.readValuesToList();
        CustomerSessionState before = store.get(key.asString());

        // when
        send(upsert(key, Optional.of(SessionState.OPEN), SessionChanges.NONE));

        // then
        assertThat(events.isEmpty()).isTrue();
        assertThat(states.isEmpty()).isTrue();
        assertThat(store.get(key.asString())).isEqualTo(before);
        CommandOutcome outcome = outcomes.readValue();
        assertThat(outcome.getAccepted()).isFalse();
        assertThat(outcome.getRejection().getReason()).isEqualTo("FORBIDDEN_TRANSITION");
        assertThat(outcome.getEventTypes()).isEmpty();
    }

    @Test
    void an_invalid_command_on_the_topic_is_rejected_not_folded() {
        // given a command no session-service would have appended: quantity 0
        SessionKey key = key("s-4");

        // when
        send(upsert(key, Optional.empty(), changes("", CartItem.of("a", 0, BigDecimal.ONE))));

        // then
        assertThat(events.isEmpty()).isTrue();
        assertThat(store.get(key.asString())).isNull();
        CommandOutcome outcome = outcomes.readValue();
        assertThat(outcome.getRejection().getReason()).isEqualTo("INVALID_INPUT");
        assertThat(outcome.getRejection().getViolations()).isNotEmpty();
    }

    @Test
    void a_command_keyed_for_another_session_is_rejected() {
        // given
        SessionCommand command = upsert(key("s-5"), Optional.empty(), SessionChanges.NONE);

        // when
        fixture.sendKeyed(key("elsewhere").asString(), command);

        // then
        assertThat(events.isEmpty()).isTrue();
        assertThat(outcomes.readValue().getRejection().getReason()).isEqualTo("INVALID_INPUT");
    }

    @Test
    void only_the_first_session_of_a_profile_is_marked_first_and_the_claim_is_published() {
        // when
        send(upsert(key("p-1"), Optional.empty(), changes("customer-9", CartItem.of("a", 1, BigDecimal.ONE))));
        send(upsert(key("p-2"), Optional.empty(), changes("customer-9", CartItem.of("a", 1, BigDecimal.ONE))));
        send(upsert(key("anonymous"), Optional.empty(), changes("", CartItem.of("a", 1, BigDecimal.ONE))));

        // then
        assertThat(store.get(key("p-1").asString()).getFirstSession()).isTrue();
        assertThat(store.get(key("p-2").asString()).getFirstSession()).isFalse();
        assertThat(store.get(key("anonymous").asString()).getFirstSession()).isTrue();
        var claims = profileClaims.readKeyValuesToList();
        assertThat(claims).hasSize(1);
        assertThat(claims.get(0).key).isEqualTo("1:customer-9");
        assertThat(claims.get(0).value).isEqualTo("p-1");
    }

    @Test
    void a_session_that_moves_to_a_claimed_profile_is_not_first_and_one_that_keeps_its_profile_stays_first() {
        // given
        send(upsert(key("m-1"), Optional.empty(), changes("customer-5", CartItem.of("a", 1, BigDecimal.ONE))));
        send(upsert(key("m-2"), Optional.empty(), changes("", CartItem.of("a", 1, BigDecimal.ONE))));

        // when: m-2 gets m-1's profile; m-1 is updated naming its own profile again, then without naming one
        send(upsert(key("m-2"), Optional.empty(), changes("customer-5", CartItem.of("b", 2, BigDecimal.ONE))));
        send(upsert(key("m-1"), Optional.empty(), changes("customer-5", CartItem.of("c", 3, BigDecimal.ONE))));
        send(upsert(key("m-1"), Optional.empty(), SessionChanges.NONE.withCouponCodes(List.of("SAVE"))));

        // then
        assertThat(store.get(key("m-2").asString()).getFirstSession()).isFalse();
        assertThat(store.get(key("m-1").asString()).getFirstSession()).isTrue();
        assertThat(store.get(key("m-1").asString()).getUpdateCount()).isEqualTo(3); // created, then two updates
    }

    @Test
    void session_ids_are_derived_from_the_creating_commands_position() {
        // when
        send(upsert(key("id-1"), Optional.empty(), SessionChanges.NONE));
        send(upsert(key("id-2"), Optional.empty(), SessionChanges.NONE));
        send(upsert(key("id-1"), Optional.empty(), SessionChanges.NONE));

        // then: partition 0 in the test driver, offsets 0 and 1; an update keeps the id
        assertThat(store.get(key("id-1").asString()).getId()).isEqualTo(1L);
        assertThat(store.get(key("id-2").asString()).getId()).isEqualTo(2L);
    }

    private static SessionKey key(String integrationId) {
        return new SessionKey(1, integrationId);
    }

    private void send(SessionCommand command) {
        fixture.send(command);
    }

    private SessionCommand upsert(SessionKey key, Optional<SessionState> state, SessionChanges changes) {
        return fixture.upsert(key, state, changes);
    }

    private static SessionChanges changes(String profileId, CartItem... items) {
        return SessionChanges.NONE.withProfileId(profileId).withCartItems(List.of(items));
    }
}
