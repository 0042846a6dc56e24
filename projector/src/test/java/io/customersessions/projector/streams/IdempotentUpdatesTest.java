package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.UpsertSession;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.projector.views.StoreKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Updates with an Idempotency-Key, so that a checkout can retry an update whose answer it did not get (a timeout, a
 * 202, a lost connection): the first outcome per session and key answers every repeat of the same request, and
 * another request under that key is refused.
 */
class IdempotentUpdatesTest {

    private static final SessionKey SESSION = new SessionKey(1, "order-1");

    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void a_retried_close_appends_nothing_and_answers_the_first_outcome_under_the_new_command_id() {
        // given: the close was decided, but its client never got the answer
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(3)));
        fixture.send(keyed(fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE), "close-1"));
        CommandOutcome first = fixture.outcomes.readValuesToList().get(1);
        CustomerSessionState afterFirst = fixture.session(SESSION);
        fixture.drainOutputs();

        // when: the client retries the same close (a new command id and time, as every request gets)
        SessionCommand retry = keyed(fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE),
                "close-1");
        fixture.send(retry);

        // then: 200 with the closed session rather than a 409 for closing a closed session, and nothing appended
        assertThat(fixture.events.isEmpty()).isTrue();
        assertThat(fixture.states.isEmpty()).isTrue();
        assertThat(fixture.session(SESSION)).isEqualTo(afterFirst);
        CommandOutcome answer = fixture.outcomes.readValue();
        assertThat(answer.getCommandId()).isEqualTo(retry.getCommandId());
        assertThat(answer.getAccepted()).isTrue();
        assertThat(answer.getSession().getState()).isEqualTo("closed");
        assertThat(CommandOutcome.newBuilder(answer).setCommandId(first.getCommandId()).build()).isEqualTo(first);
    }

    @Test
    void a_retried_cart_update_is_applied_once() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)));
        fixture.send(keyed(fixture.upsert(SESSION, Optional.empty(), socks(2)), "cart-2"));
        fixture.drainOutputs();

        // when
        fixture.send(keyed(fixture.upsert(SESSION, Optional.empty(), socks(2)), "cart-2"));
        fixture.send(keyed(fixture.upsert(SESSION, Optional.empty(), socks(2)), "cart-2"));

        // then
        assertThat(fixture.events.isEmpty()).isTrue();
        assertThat(fixture.session(SESSION).getUpdateCount()).isEqualTo(2);
        assertThat(fixture.outcomes.readValuesToList()).extracting(CommandOutcome::getAccepted)
                .containsExactly(true, true);
    }

    @Test
    void a_key_sent_again_with_another_request_is_refused_and_appends_nothing() {
        // given
        fixture.send(keyed(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)), "update-1"));
        CustomerSessionState afterFirst = fixture.session(SESSION);
        fixture.drainOutputs();

        // when: another cart under the same key
        fixture.send(keyed(fixture.upsert(SESSION, Optional.empty(), socks(2)), "update-1"));

        // then
        List<CommandOutcome> answers = fixture.outcomes.readValuesToList();
        assertThat(answers).singleElement().satisfies(answer -> {
            assertThat(answer.getAccepted()).isFalse();
            assertThat(answer.getRejection().getReason()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
            assertThat(answer.getSession()).isEqualTo(afterFirst);
        });
        assertThat(fixture.events.isEmpty()).isTrue();
        assertThat(fixture.session(SESSION)).isEqualTo(afterFirst);
    }

    @Test
    void a_retry_with_a_refreshed_if_match_is_the_same_request_answered_with_the_first_outcome() {
        // given: a conditional update that lost its race
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)));
        fixture.send(fixture.upsert(SESSION, Optional.empty(), socks(3)));
        SessionCommand conditional = keyed(fixture.upsert(SESSION, Optional.empty(), socks(2)), "update-1");
        conditional.setExpectedUpdateCount(1);
        fixture.send(conditional);
        fixture.drainOutputs();

        // when: sent again under its key with the current updateCount
        SessionCommand refreshed = keyed(fixture.upsert(SESSION, Optional.empty(), socks(2)), "update-1");
        refreshed.setExpectedUpdateCount(2);
        fixture.send(refreshed);

        // then: the key keeps its first answer (the payload is what is compared, as the Idempotency-Key draft does)
        assertThat(fixture.outcomes.readValue().getRejection().getReason()).isEqualTo("VERSION_MISMATCH");
        assertThat(fixture.events.isEmpty()).isTrue();
    }

    @Test
    void an_update_and_a_return_may_use_the_same_key_and_neither_answers_the_other() {
        // given: a close sent with a key
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(2)));
        fixture.send(keyed(fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE), "k-1"));
        fixture.drainOutputs();

        // when: a return under the same key
        fixture.send(fixture.returnItems(SESSION, "k-1", new ReturnedItem(0, 1)));

        // then: the return is decided and applied, not answered with the close's outcome
        assertThat(fixture.events.readValuesToList()).hasSize(1);
        assertThat(fixture.session(SESSION).getState()).isEqualTo("partially_returned");
        assertThat(fixture.store(Topics.IDEMPOTENT_OUTCOMES_STORE).get(StoreKeys.updateIdempotency(SESSION, "k-1")))
                .isNotNull();
    }

    @Test
    void the_outcome_topic_carries_no_request_digest() {
        // when
        fixture.send(keyed(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)), "update-1"));
        fixture.send(keyed(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)), "update-1"));

        // then: the digest stays in the store, which erasure rewrites
        assertThat(fixture.outcomes.readValuesToList()).hasSize(2)
                .allSatisfy(outcome -> assertThat(outcome.getRequestDigest()).isNull());
        CommandOutcome remembered = fixture.<CommandOutcome>store(Topics.IDEMPOTENT_OUTCOMES_STORE)
                .get(StoreKeys.updateIdempotency(SESSION, "update-1"));
        assertThat(remembered.getRequestDigest()).hasSize(64);
    }

    @Test
    void updates_without_a_key_are_each_applied() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)));
        fixture.drainOutputs();

        // when
        fixture.send(fixture.upsert(SESSION, Optional.empty(), socks(2)));
        fixture.send(fixture.upsert(SESSION, Optional.empty(), socks(2)));

        // then
        assertThat(fixture.events.readValuesToList()).hasSize(2);
        assertThat(fixture.session(SESSION).getUpdateCount()).isEqualTo(3);
    }

    private static SessionCommand keyed(SessionCommand command, String idempotencyKey) {
        ((UpsertSession) command.getPayload()).setIdempotencyKey(idempotencyKey);
        return command;
    }

    private static SessionChanges socks(int quantity) {
        return SessionChanges.NONE.withCartItems(List.of(CartItem.of("sock", quantity, new BigDecimal("4.00"))));
    }
}
