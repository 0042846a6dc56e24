package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.UpsertSession;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import io.customersessions.eventlog.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Idempotency-Keys are remembered for the key retention (24 h unless configured), counted in command time: a retry
 * within it gets the first outcome, a request after it is decided as new, and the purge deletes what no command can
 * find any more, so that a client sending a key with every update does not grow the store for good.
 */
class IdempotencyExpiryTest {

    private static final SessionKey SESSION = new SessionKey(1, "order-1");
    private static final SessionKey OTHER = new SessionKey(1, "order-2");
    private static final String CLOSE_KEY = StoreKeys.updateIdempotency(SESSION, "close-1");

    private TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void a_retried_close_gets_the_first_outcome_within_the_retention_and_is_decided_anew_after_it() {
        // given: a close with a key, remembered until its time plus 24 h
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)));
        SessionCommand close = closeWithKey();
        fixture.send(close);
        assertThat(remembered(CLOSE_KEY).getRememberedUntil())
                .isEqualTo(close.getTime().plus(Duration.ofHours(24)));
        fixture.drainOutputs();

        // when: retried a second before the key is forgotten, then at the moment it is
        fixture.advanceClock(Duration.ofHours(24).minusSeconds(2));
        SessionCommand lateRetry = closeWithKey();
        assertThat(lateRetry.getTime()).isEqualTo(close.getTime().plus(Duration.ofHours(24)).minusSeconds(1));
        fixture.send(lateRetry);
        SessionCommand tooLate = closeWithKey();
        assertThat(tooLate.getTime()).isEqualTo(close.getTime().plus(Duration.ofHours(24)));
        fixture.send(tooLate);

        // then: the first is answered as the close was; the second is a close of a closed session (a 409)
        List<CommandOutcome> answers = fixture.outcomes.readValuesToList();
        assertThat(answers).extracting(CommandOutcome::getAccepted).containsExactly(true, false);
        assertThat(answers.get(1).getRejection().getReason()).isEqualTo("FORBIDDEN_TRANSITION");
        assertThat(fixture.events.isEmpty()).isTrue();
        assertThat(remembered(CLOSE_KEY).getRememberedUntil())
                .isEqualTo(tooLate.getTime().plus(Duration.ofHours(24)));
    }

    @Test
    void a_key_forgotten_may_name_another_request() {
        // given
        fixture.send(keyed(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)), "cart"));
        fixture.advanceClock(Duration.ofDays(2));
        fixture.drainOutputs();

        // when: another cart under the same key, two days on
        fixture.send(keyed(fixture.upsert(SESSION, Optional.empty(), socks(2)), "cart"));

        // then: applied, not refused as a reused key
        assertThat(fixture.outcomes.readValue().getAccepted()).isTrue();
        assertThat(fixture.session(SESSION).getUpdateCount()).isEqualTo(2);
    }

    @Test
    void the_purge_deletes_an_outcome_an_hour_after_it_is_forgotten_as_the_commands_times_advance() {
        // given: a key remembered until U
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)));
        SessionCommand close = closeWithKey();
        fixture.send(close);
        Instant until = close.getTime().plus(Duration.ofHours(24));

        // when: commands of another session take the stream time to U + 1 h (less a few seconds), and a purge runs
        fixture.advanceClock(Duration.ofHours(25).minusSeconds(10));
        fixture.send(fixture.upsert(OTHER, Optional.of(SessionState.OPEN), socks(1)));
        purge();

        // then: still stored, for a command whose clock lags by up to an hour
        assertThat(fixture.<CommandOutcome>store(Topics.IDEMPOTENT_OUTCOMES_STORE).get(CLOSE_KEY)).isNotNull();
        assertThat(expiryEntries()).containsExactly(StoreKeys.idempotencyExpiry(until, CLOSE_KEY));

        // when: past U + 1 h
        fixture.advanceClock(Duration.ofMinutes(2));
        fixture.send(fixture.upsert(OTHER, Optional.empty(), socks(2)));
        purge();

        // then
        assertThat(fixture.<CommandOutcome>store(Topics.IDEMPOTENT_OUTCOMES_STORE).get(CLOSE_KEY)).isNull();
        assertThat(expiryEntries()).isEmpty();
    }

    @Test
    void neither_a_session_service_clock_nor_the_projectors_running_ahead_purges_a_key_by_itself() {
        // given: a key remembered until U
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)));
        fixture.send(closeWithKey());

        // when: a command stamped two days on (a session-service clock ahead), the projector's clock at U - 1 h
        fixture.advanceClock(Duration.ofDays(2));
        fixture.send(fixture.upsert(OTHER, Optional.of(SessionState.OPEN), socks(1)));
        fixture.advanceWallClock(Duration.ofHours(23));

        // then
        assertThat(remembered(CLOSE_KEY)).isNotNull();

        // when: the projector's clock two days on too
        fixture.advanceWallClock(Duration.ofDays(1));

        // then: both clocks are past U + 1 h
        assertThat(remembered(CLOSE_KEY)).isNull();
    }

    @Test
    void the_projectors_clock_ahead_purges_nothing_the_commands_still_find() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)));
        fixture.send(closeWithKey());
        fixture.drainOutputs();

        // when: the projector's clock jumps a year while the commands' times stay within the key's day
        fixture.advanceWallClock(Duration.ofDays(365));
        fixture.advanceClock(Duration.ofHours(20));
        fixture.send(closeWithKey());

        // then: the retry still finds the key
        assertThat(fixture.outcomes.readValue().getAccepted()).isTrue();
        assertThat(fixture.events.isEmpty()).isTrue();
    }

    @Test
    void the_purge_keeps_an_outcome_its_key_was_remembered_with_again() {
        // given: a return remembered until U, and after U the same key remembered again for another return
        String returnKey = StoreKeys.idempotency(SESSION, "return-1");
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(3)));
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1)));
        fixture.advanceClock(Duration.ofHours(24).plusMinutes(30));
        SessionCommand second = fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 2));
        fixture.send(second);
        assertThat(fixture.session(SESSION).getCartItems().get(0).getReturnedQuantity()).isEqualTo(3);

        // when: the stream time passes the first outcome's purge, and a purge runs
        fixture.advanceClock(Duration.ofHours(1));
        fixture.send(fixture.upsert(OTHER, Optional.of(SessionState.OPEN), socks(1)));
        purge();

        // then: the second return's outcome and its entry stay
        Instant secondUntil = second.getTime().plus(Duration.ofHours(24));
        assertThat(fixture.<CommandOutcome>store(Topics.IDEMPOTENT_OUTCOMES_STORE).get(returnKey).getRememberedUntil())
                .isEqualTo(secondUntil);
        assertThat(expiryEntries()).containsExactly(StoreKeys.idempotencyExpiry(secondUntil, returnKey));
    }

    @Test
    void an_outcome_remembered_before_outcomes_had_an_expiry_is_kept_for_good() {
        // given: a close remembered by the previous version, without rememberedUntil
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)));
        fixture.send(closeWithKey());
        KeyValueStore<String, CommandOutcome> outcomes = fixture.store(Topics.IDEMPOTENT_OUTCOMES_STORE);
        CommandOutcome old = CommandOutcome.newBuilder(outcomes.get(CLOSE_KEY)).setRememberedUntil(null).build();
        outcomes.put(CLOSE_KEY, old);
        fixture.drainOutputs();

        // when: retried a year later, after a purge
        fixture.advanceClock(Duration.ofDays(365));
        fixture.send(fixture.upsert(OTHER, Optional.of(SessionState.OPEN), socks(1)));
        purge();
        fixture.send(closeWithKey());

        // then: the first outcome again
        assertThat(fixture.outcomes.readValuesToList()).last().satisfies(answer -> {
            assertThat(answer.getAccepted()).isTrue();
            assertThat(answer.getSession().getState()).isEqualTo("closed");
        });
        assertThat(outcomes.get(CLOSE_KEY)).isEqualTo(old);
    }

    @Test
    void the_retention_is_configurable() {
        // given
        fixture.close();
        fixture = new TopologyFixture(Map.of(IdempotencyExpiry.SETTING, "3600000"));
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(1)));
        SessionCommand close = closeWithKey();

        // when
        fixture.send(close);

        // then
        assertThat(remembered(CLOSE_KEY).getRememberedUntil()).isEqualTo(close.getTime().plus(Duration.ofHours(1)));
    }

    @Test
    void a_retention_out_of_bounds_is_refused() {
        assertThat(IdempotencyExpiry.retention(null)).isEqualTo(Duration.ofHours(24));
        assertThat(IdempotencyExpiry.retention(" 1000 ")).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> IdempotencyExpiry.retention("0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(IdempotencyExpiry.SETTING);
        assertThatThrownBy(() -> IdempotencyExpiry.retention(Duration.ofDays(3654).toMillis()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_erased_sessions_remembered_outcome_keeps_its_expiry_and_is_purged_in_time() {
        // given: a keyed close, then the session's personal data erased
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN),
                socks(1).withProfileId("customer-1").withIdentifiers(List.of("alice@example.com"))));
        SessionCommand close = closeWithKey();
        fixture.send(close);
        fixture.send(AvroCodec.toAvro(new io.customersessions.domain.SessionCommand.RedactPersonalData("erase-1",
                SESSION, close.getTime().plusSeconds(60), null, "integration-api-key:0123456789ab")));

        // then: the redacted outcome is remembered until the close's time plus 24 h
        CommandOutcome redacted = remembered(CLOSE_KEY);
        assertThat(redacted.getSession().getIdentifiers()).isEmpty();
        assertThat(redacted.getRememberedUntil()).isEqualTo(close.getTime().plus(Duration.ofHours(24)));

        // when
        fixture.advanceClock(Duration.ofHours(26));
        fixture.send(fixture.upsert(OTHER, Optional.of(SessionState.OPEN), socks(1)));
        purge();

        // then
        assertThat(remembered(CLOSE_KEY)).isNull();
    }

    @Test
    void a_backlog_is_purged_a_run_per_second_until_it_is_gone_then_a_run_per_minute_again() {
        // given: more outcomes due than one run purges, as with a key on every command at thousands per second
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, CommandOutcome> outcomes = inMemory(context, Topics.IDEMPOTENT_OUTCOMES_STORE,
                AvroSerdes.ours(Map.of("schema.registry.url", "mock://purge-backlog")));
        KeyValueStore<String, String> entries = inMemory(context, Topics.IDEMPOTENCY_EXPIRY_STORE, Serdes.String());
        IdempotencyExpiry expiry = IdempotencyExpiry.of(context, outcomes);
        Instant commandTime = Instant.parse("2026-11-01T10:00:00Z");
        int due = 2 * IdempotencyExpiry.MAX_PURGED_PER_RUN + 5;
        for (int i = 0; i < due; i++) {
            expiry.remember("key-" + i, outcomeOf("cmd-" + i), commandTime);
        }
        long now = commandTime.plus(Duration.ofDays(2)).toEpochMilli();
        context.setCurrentStreamTimeMs(now);
        MockProcessorContext.CapturedPunctuator purge = context.scheduledPunctuators().get(0);

        // when the punctuator runs every second
        List<Long> left = new ArrayList<>();
        for (int second = 0; second < 4; second++) {
            purge.getPunctuator().punctuate(now + second * 1_000L);
            left.add(count(outcomes));
        }
        expiry.remember("late", outcomeOf("cmd-late"), commandTime);
        purge.getPunctuator().punctuate(now + 4_000);
        long lateKeptWithinTheMinute = count(outcomes);
        purge.getPunctuator().punctuate(now + 3_000 + IdempotencyExpiry.PURGE_EVERY.toMillis());

        // then
        assertThat(purge.getInterval()).isEqualTo(IdempotencyExpiry.CHECK_EVERY)
                .isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(left).containsExactly((long) due - IdempotencyExpiry.MAX_PURGED_PER_RUN, 5L, 0L, 0L);
        assertThat(lateKeptWithinTheMinute).isEqualTo(1);
        assertThat(count(outcomes)).isZero();
        assertThat(count(entries)).isZero();
    }

    private static CommandOutcome outcomeOf(String commandId) {
        return CommandOutcome.newBuilder().setCommandId(commandId).setApplicationId(1).setIntegrationId("s-1")
                .setAccepted(true).setEventTypes(new ArrayList<>()).setSession(null).setRejection(null).build();
    }

    private static <V> KeyValueStore<String, V> inMemory(MockProcessorContext<String, Object> context, String name,
                                                         Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), values).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private static long count(KeyValueStore<String, ?> store) {
        long count = 0;
        try (KeyValueIterator<String, ?> all = store.all()) {
            for (; all.hasNext(); all.next()) {
                count++;
            }
        }
        return count;
    }

    /** Runs the purge with the projector's clock well ahead, so that the commands' stream time bounds it. */
    private void purge() {
        fixture.advanceWallClock(Duration.ofDays(1000));
    }

    private SessionCommand closeWithKey() {
        return keyed(fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE), "close-1");
    }

    private CommandOutcome remembered(String key) {
        return fixture.<CommandOutcome>store(Topics.IDEMPOTENT_OUTCOMES_STORE).get(key);
    }

    private List<String> expiryEntries() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> all = fixture.<String>store(Topics.IDEMPOTENCY_EXPIRY_STORE).all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    private static SessionCommand keyed(SessionCommand command, String idempotencyKey) {
        ((UpsertSession) command.getPayload()).setIdempotencyKey(idempotencyKey);
        return command;
    }

    private static SessionChanges socks(int quantity) {
        return SessionChanges.NONE.withCartItems(List.of(CartItem.of("sock", quantity, new BigDecimal("4.00"))));
    }
}
