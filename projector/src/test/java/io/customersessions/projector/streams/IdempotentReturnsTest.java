package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.views.StoreKeys;
import org.junit.jupiter.api.AfterEach;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Returns with an Idempotency-Key: the first outcome per session and key is the answer to every repeat of the same
 * return, and another return under that key is refused.
 */
class IdempotentReturnsTest {

    private static final SessionKey SESSION = new SessionKey(1, "order-1");

    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void a_repeated_key_appends_nothing_and_answers_the_first_outcome_under_the_new_command_id() {
        // given
        closedSessionWithThreeSocks(SESSION);
        fixture.drainOutputs();
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1)));
        CommandOutcome first = fixture.outcomes.readValue();
        CustomerSessionState afterFirst = fixture.session(SESSION);
        fixture.drainOutputs();

        // when: the client retries
        var retry = fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1));
        fixture.send(retry);

        // then
        assertThat(fixture.events.isEmpty()).isTrue();
        assertThat(fixture.states.isEmpty()).isTrue();
        assertThat(fixture.session(SESSION)).isEqualTo(afterFirst);
        CommandOutcome answer = fixture.outcomes.readValue();
        assertThat(answer.getCommandId()).isEqualTo(retry.getCommandId());
        assertThat(CommandOutcome.newBuilder(answer).setCommandId(first.getCommandId()).build()).isEqualTo(first);
        assertThat(answer.getAccepted()).isTrue();
        assertThat(answer.getSession().getCartItems().get(0).getReturnedQuantity()).isEqualTo(1);
    }

    @Test
    void a_repeated_key_of_a_rejected_return_gets_the_same_rejection_even_once_the_return_would_succeed() {
        // given: returning from an open session is forbidden
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(3)));
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1)));
        CommandOutcome first = fixture.outcomes.readValuesToList().get(1);
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        fixture.drainOutputs();

        // when
        var retry = fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1));
        fixture.send(retry);

        // then
        assertThat(first.getRejection().getReason()).isEqualTo("FORBIDDEN_TRANSITION");
        assertThat(fixture.events.isEmpty()).isTrue();
        CommandOutcome answer = fixture.outcomes.readValue();
        assertThat(answer.getCommandId()).isEqualTo(retry.getCommandId());
        assertThat(answer.getAccepted()).isFalse();
        assertThat(answer.getRejection()).isEqualTo(first.getRejection());
        assertThat(fixture.session(SESSION).getState()).isEqualTo("closed");
    }

    @Test
    void a_key_sent_again_with_other_items_is_refused_and_the_first_outcome_stays_the_keys_answer() {
        // given
        closedSessionWithThreeSocks(SESSION);
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1)));
        CommandOutcome first = fixture.outcomes.readValuesToList().get(2);
        CustomerSessionState afterFirst = fixture.session(SESSION);
        fixture.drainOutputs();

        // when: a different return under the same key, then the first return again
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 2)));
        var retry = fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1));
        fixture.send(retry);

        // then
        assertThat(fixture.events.isEmpty()).isTrue();
        assertThat(fixture.session(SESSION)).isEqualTo(afterFirst);
        List<CommandOutcome> answers = fixture.outcomes.readValuesToList();
        assertThat(answers.get(0).getAccepted()).isFalse();
        assertThat(answers.get(0).getRejection().getReason()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(answers.get(0).getRejection().getMessage()).contains("'return-1'");
        assertThat(answers.get(0).getSession()).isEqualTo(afterFirst);
        assertThat(CommandOutcome.newBuilder(answers.get(1)).setCommandId(first.getCommandId()).build())
                .isEqualTo(first);
    }

    @Test
    void an_outcome_remembered_without_its_items_answers_any_repeat_of_its_key() {
        // given: an outcome as remembered before outcomes carried the returned items
        closedSessionWithThreeSocks(SESSION);
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1)));
        KeyValueStore<String, CommandOutcome> remembered = fixture.store(Topics.IDEMPOTENT_OUTCOMES_STORE);
        String key = StoreKeys.idempotency(SESSION, "return-1");
        CommandOutcome first = remembered.get(key);
        assertThat(first.getReturnedItems()).containsExactly(new io.customersessions.avro.ReturnedItem(0, 1));
        remembered.put(key, CommandOutcome.newBuilder(first).setReturnedItems(null).build());
        fixture.drainOutputs();

        // when
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 2)));

        // then
        assertThat(fixture.events.isEmpty()).isTrue();
        assertThat(fixture.outcomes.readValue().getAccepted()).isTrue();
    }

    @Test
    void a_new_key_is_a_new_return() {
        // given
        closedSessionWithThreeSocks(SESSION);
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1)));
        fixture.drainOutputs();

        // when
        fixture.send(fixture.returnItems(SESSION, "return-2", new ReturnedItem(0, 1)));

        // then
        assertThat(fixture.events.readValuesToList()).hasSize(1);
        assertThat(fixture.session(SESSION).getCartItems().get(0).getReturnedQuantity()).isEqualTo(2);
    }

    @Test
    void a_key_belongs_to_one_session() {
        // given
        SessionKey other = new SessionKey(1, "order-2");
        closedSessionWithThreeSocks(SESSION);
        closedSessionWithThreeSocks(other);
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1)));
        fixture.drainOutputs();

        // when
        fixture.send(fixture.returnItems(other, "return-1", new ReturnedItem(0, 2)));

        // then
        assertThat(fixture.events.readValuesToList()).hasSize(1);
        assertThat(fixture.session(other).getCartItems().get(0).getReturnedQuantity()).isEqualTo(2);
    }

    @Test
    void returns_without_a_key_are_each_applied() {
        // given
        closedSessionWithThreeSocks(SESSION);
        fixture.drainOutputs();

        // when
        fixture.send(fixture.returnItems(SESSION, null, new ReturnedItem(0, 1)));
        fixture.send(fixture.returnItems(SESSION, null, new ReturnedItem(0, 1)));

        // then
        assertThat(fixture.events.readValuesToList()).hasSize(2);
        assertThat(fixture.session(SESSION).getCartItems().get(0).getReturnedQuantity()).isEqualTo(2);
    }

    private void closedSessionWithThreeSocks(SessionKey key) {
        fixture.send(fixture.upsert(key, Optional.of(SessionState.OPEN), socks(3)));
        fixture.send(fixture.upsert(key, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
    }

    private static SessionChanges socks(int quantity) {
        return SessionChanges.NONE.withCartItems(List.of(CartItem.of("sock", quantity, new BigDecimal("4.00"))));
    }
}
