package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.SessionCommand;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every outcome names the command it answers in a header, which the session-service reads instead of decoding the
 * outcomes of other instances' commands: it must be there for accepted, rejected and repeated commands, and be the
 * id the waiting request was registered under.
 */
class OutcomeCommandIdHeaderTest {

    private static final SessionKey SESSION = new SessionKey(1, "header-1");

    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void a_rejected_command_has_its_id_in_the_outcomes_header() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(2)));
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.CANCELLED), SessionChanges.NONE));
        fixture.drainOutputs();

        // when: open again after a cancellation, which is refused
        SessionCommand forbidden = fixture.upsert(SESSION, Optional.of(SessionState.OPEN), SessionChanges.NONE);
        fixture.send(forbidden);

        // then
        TestRecord<String, CommandOutcome> refused = fixture.outcomes.readRecord();
        assertThat(refused.value().getAccepted()).isFalse();
        assertThat(commandIds(refused.headers())).containsExactly(forbidden.getCommandId());
    }

    @Test
    void an_accepted_command_keeps_its_own_headers_and_a_forged_command_id_is_replaced() {
        // given a command that arrives with a tracing header and a command-id header of its own
        SessionCommand create = fixture.upsert(SESSION, Optional.empty(), SessionChanges.NONE);
        Headers sent = new RecordHeaders()
                .add("traceparent", "00-trace-span-01".getBytes(StandardCharsets.UTF_8))
                .add(Topics.COMMAND_ID_HEADER, "someone-else".getBytes(StandardCharsets.UTF_8));

        // when
        fixture.send(create, sent);

        // then
        TestRecord<String, CommandOutcome> outcome = fixture.outcomes.readRecord();
        assertThat(outcome.value().getAccepted()).isTrue();
        assertThat(commandIds(outcome.headers())).containsExactly(create.getCommandId());
        assertThat(new String(outcome.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .isEqualTo("00-trace-span-01");
    }

    @Test
    void a_repeated_idempotency_key_is_answered_under_the_repeats_id() {
        // given
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.OPEN), socks(3)));
        fixture.send(fixture.upsert(SESSION, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        fixture.send(fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1)));
        fixture.drainOutputs();

        // when
        SessionCommand retry = fixture.returnItems(SESSION, "return-1", new ReturnedItem(0, 1));
        fixture.send(retry);

        // then
        TestRecord<String, CommandOutcome> answer = fixture.outcomes.readRecord();
        assertThat(answer.value().getAccepted()).isTrue();
        assertThat(commandIds(answer.headers())).containsExactly(retry.getCommandId());
    }

    private static SessionChanges socks(int quantity) {
        return SessionChanges.NONE.withCartItems(List.of(CartItem.of("sock", quantity, BigDecimal.ONE)));
    }

    private static List<String> commandIds(Headers headers) {
        return StreamSupport.stream(headers.headers(Topics.COMMAND_ID_HEADER).spliterator(), false)
                .map(Header::value)
                .map(value -> new String(value, StandardCharsets.UTF_8))
                .toList();
    }
}
