package io.customersessions.service.kafka;

import io.customersessions.avro.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.service.commands.CommandResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.health.HealthStatus;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handing a command to the producer. A send can block for seconds (the topic's metadata, a full buffer, the schema
 * registry), so it must not run on the thread that took the request: that is one of the few event loops serving
 * every connection.
 */
class CommandSendTest {

    private static final Duration SEND_DEADLINE = Duration.ofSeconds(10);

    private final RecordingProducer producer = new RecordingProducer();
    private final ProducerHealth health = new ProducerHealth();
    private final AtomicLong now = new AtomicLong();

    private final AtomicBoolean outcomesListening = new AtomicBoolean(true);
    private KafkaCommandGateway gateway = gateway(1_000);

    private KafkaCommandGateway gateway(int maxWaitingSends) {
        return new KafkaCommandGateway(producer, "customer-session-commands", new PendingOutcomes(), health,
                outcomesListening::get, new SimpleMeterRegistry(), Duration.ofMillis(1), maxWaitingSends,
                SEND_DEADLINE, now::get);
    }

    @Test
    void a_command_taken_while_outcomes_are_not_listened_for_is_refused_and_never_sent() {
        // given the outcome reader has not fixed its positions yet (or stopped)
        outcomesListening.set(false);

        // when
        CompletableFuture<CommandResult> result = gateway.submit(reopen("cmd-1"));

        // then
        assertThat(result).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(CommandNotAppendedException.class);
        assertThat(producer.history()).isEmpty();
    }

    @AfterEach
    void close() throws InterruptedException {
        gateway.close();
    }

    @Test
    void commands_are_sent_off_the_requests_thread_in_the_order_they_were_taken() throws Exception {
        // when
        List<CompletableFuture<CommandResult>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(gateway.submit(reopen("cmd-" + i)));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        // then
        assertThat(producer.sendingThreads).containsExactly(KafkaCommandGateway.SENDER_THREAD);
        assertThat(producer.history()).extracting(record -> record.value().getCommandId())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).mapToObj(i -> "cmd-" + i).toList());
        assertThat(results.get(0).get()).isEqualTo(new CommandResult.Pending("cmd-0"));
    }

    @Test
    void a_send_that_fails_at_once_fails_its_request_as_not_appended_and_the_instance_is_not_ready() {
        // given the topic's metadata does not come
        producer.sendException = new TimeoutException("Topic customer-session-commands not present in metadata");

        // when
        CompletableFuture<CommandResult> result = gateway.submit(reopen("cmd-1"));

        // then
        assertThat(result).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(CommandNotAppendedException.class)
                .withMessageContaining("not present in metadata");
        assertThat(health.current().getStatus()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void a_command_that_waited_past_the_deadline_behind_a_blocked_send_is_refused_not_sent() throws Exception {
        // given the first send blocks, as one does while the broker is unreachable
        CountDownLatch release = producer.blockNextSend();
        CompletableFuture<CommandResult> blocked = gateway.submit(reopen("cmd-1"));
        CompletableFuture<CommandResult> behind = gateway.submit(reopen("cmd-2"));
        producer.blocking.await(10, TimeUnit.SECONDS);

        // when the second has waited longer than the deadline once the first returns
        now.addAndGet(SEND_DEADLINE.plusMillis(1).toNanos());
        release.countDown();

        // then it is refused as not appended (the client may retry) and never reaches the log
        assertThat(behind).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(CommandNotAppendedException.class).withMessageContaining("waited over 10000 ms");
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(new CommandResult.Pending("cmd-1"));
        assertThat(producer.history()).extracting(record -> record.value().getCommandId()).containsExactly("cmd-1");
    }

    @Test
    void commands_still_waiting_when_the_service_stops_are_refused_and_never_sent() throws Exception {
        // given a send blocks, and a command waits behind it
        CountDownLatch release = producer.blockNextSend();
        CompletableFuture<CommandResult> inProgress = gateway.submit(reopen("cmd-1"));
        producer.blocking.await(10, TimeUnit.SECONDS);
        CompletableFuture<CommandResult> waiting = gateway.submit(reopen("cmd-2"));

        // when the service stops
        KafkaCommandGateway stopping = gateway;
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            try {
                stopping.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(waiting).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(CommandNotAppendedException.class);
        release.countDown();
        closed.get(10, TimeUnit.SECONDS);
        gateway = gateway(1_000);

        // then the send in progress completed, and the waiting command never reached the log
        assertThat(inProgress.get(10, TimeUnit.SECONDS)).isEqualTo(new CommandResult.Pending("cmd-1"));
        assertThat(producer.history()).extracting(record -> record.value().getCommandId()).containsExactly("cmd-1");
    }

    @Test
    void while_a_send_is_blocked_commands_beyond_the_waiting_limit_are_refused_at_once() throws Exception {
        // given the first send blocks and two commands wait behind it (the limit here)
        gateway.close();
        gateway = gateway(2);
        CountDownLatch release = producer.blockNextSend();
        gateway.submit(reopen("cmd-1"));
        producer.blocking.await(10, TimeUnit.SECONDS);
        gateway.submit(reopen("cmd-2"));
        gateway.submit(reopen("cmd-3"));

        // when
        CompletableFuture<CommandResult> beyond = gateway.submit(reopen("cmd-4"));

        // then
        assertThat(beyond).isCompletedExceptionally();
        assertThat(beyond).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(CommandNotAppendedException.class).withMessageContaining("too many commands");
        release.countDown();
    }

    private static io.customersessions.domain.SessionCommand reopen(String commandId) {
        return new io.customersessions.domain.SessionCommand.ReopenSession(commandId, new SessionKey(7, "s-1"),
                Instant.parse("2026-11-24T10:00:00Z"), null);
    }

    /** Acknowledges every send at once, and notes which threads sent. */
    private static final class RecordingProducer extends MockProducer<String, SessionCommand> {

        final Set<String> sendingThreads = ConcurrentHashMap.newKeySet();
        /** Counted down when a send blocks; the next send blocks until {@link #blockNextSend}'s latch is released. */
        final CountDownLatch blocking = new CountDownLatch(1);
        private volatile CountDownLatch release;

        CountDownLatch blockNextSend() {
            release = new CountDownLatch(1);
            return release;
        }

        RecordingProducer() {
            super(true, null, (topic, key) -> new byte[0], (topic, value) -> new byte[0]);
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, SessionCommand> record,
                                                        Callback callback) {
            sendingThreads.add(Thread.currentThread().getName());
            CountDownLatch waitFor = release;
            if (waitFor != null) {
                release = null;
                blocking.countDown();
                try {
                    waitFor.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.send(record, callback);
        }
    }
}
