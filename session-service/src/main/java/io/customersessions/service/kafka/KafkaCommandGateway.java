package io.customersessions.service.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.customersessions.avro.CommandOutcome;
import io.customersessions.domain.SessionCommand;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.config.LogSettings;
import io.customersessions.service.commands.CommandGateway;
import io.customersessions.service.commands.CommandResult;
import io.customersessions.service.commands.Outcomes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Appends commands with an idempotent producer (acks=all: an acknowledged command is on every in-sync replica
 * and never duplicated by retries), keyed by session so one partition and one processor task own each session,
 * then waits for the processor's outcome. Every send's result feeds {@link ProducerHealth} (readiness), and the
 * producer's client metrics are bound into Micrometer ({@code kafka_producer_*} on {@code /prometheus}).
 *
 * <p>A command whose outcome does not come within the outcome timeout is answered "appended, result pending" (202)
 * only once the broker has acknowledged it; until then the answer waits for the send's own result, which the
 * producer's delivery timeout ({@value #DELIVERY_TIMEOUT_MS} ms) bounds: a 202 for a command still in the producer's
 * buffer would tell the client not to retry a command that may yet fail.
 */
@Requires(notEnv = Environment.TEST)
@Singleton
public class KafkaCommandGateway implements CommandGateway {

    private final Producer<String, io.customersessions.avro.SessionCommand> producer;
    private final PendingOutcomes pending;
    private final ProducerHealth health;
    private final KafkaClientMetrics metrics;
    private final String topic;
    private final Duration outcomeTimeout;
    private final BooleanSupplier outcomesListening;
    /**
     * Sends run here, never on a request's event loop: {@code send} blocks while the producer fetches the topic's
     * metadata (up to {@code max.block.ms}, 10 s, with the broker unreachable) or its buffer is full, and the
     * serializer may ask the schema registry. One thread keeps the order in which commands were taken. While it is
     * blocked, commands wait in a bounded queue (a full one refuses at once), and one that has waited longer than
     * {@link #sendDeadline} is refused rather than sent: its client has been answered, or soon will be, and a
     * command appended after its client gave up would be applied again by the client's retry.
     */
    private final ThreadPoolExecutor sender;
    private final Duration sendDeadline;
    private final LongSupplier nanoTime;

    static final String SENDER_THREAD = "command-sender";
    static final int MAX_BLOCK_MS = 10_000;
    static final int MAX_WAITING_SENDS = 10_000;
    /** How long a send may take, retries included, before it fails (Kafka's default is 2 minutes). */
    static final int DELIVERY_TIMEOUT_MS = 20_000;
    private static final int REQUEST_TIMEOUT_MS = 10_000;

    @Inject
    public KafkaCommandGateway(LogSettings settings, PendingOutcomes pending, ProducerHealth health,
                               OutcomeSubscriber outcomes, MeterRegistry registry,
                               @Value("${kafka.bootstrap.servers}") String bootstrapServers,
                               @Value("${customer-sessions.outcome-timeout:10s}") Duration outcomeTimeout,
                               @Value("${customer-sessions.producer.linger-ms:1}") int lingerMs) {
        this(new KafkaProducer<>(producerConfig(settings, bootstrapServers, lingerMs)), settings.topics().commands(),
                pending, health, outcomes::listening, registry, outcomeTimeout, MAX_WAITING_SENDS,
                Duration.ofMillis(MAX_BLOCK_MS), System::nanoTime);
    }

    KafkaCommandGateway(Producer<String, io.customersessions.avro.SessionCommand> producer, String topic,
                        PendingOutcomes pending, ProducerHealth health, BooleanSupplier outcomesListening,
                        MeterRegistry registry, Duration outcomeTimeout, int maxWaitingSends, Duration sendDeadline,
                        LongSupplier nanoTime) {
        this.outcomesListening = outcomesListening;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxWaitingSends), task -> {
                    Thread thread = new Thread(task, SENDER_THREAD);
                    thread.setDaemon(true);
                    return thread;
                });
        this.sendDeadline = sendDeadline;
        this.nanoTime = nanoTime;
        this.producer = producer;
        this.topic = topic;
        this.pending = pending;
        this.health = health;
        this.outcomeTimeout = outcomeTimeout;
        this.metrics = new KafkaClientMetrics(producer);
        this.metrics.bindTo(registry);
    }

    private static Map<String, Object> producerConfig(LogSettings settings, String bootstrapServers, int lingerMs) {
        Map<String, Object> config = new HashMap<>(settings.serdeConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, settings.getSerde().getSerializer());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "session-service-commands");
        return config;
    }

    /**
     * A command is refused (503, not appended) while the outcome reader does not listen (not started yet, or
     * stopped): its request would wait in vain and answer 202 for a command whose outcome this instance cannot learn.
     */
    @Override
    public CompletableFuture<CommandResult> submit(SessionCommand command) {
        if (!outcomesListening.getAsBoolean()) {
            return CompletableFuture.failedFuture(new CommandNotAppendedException(new IllegalStateException(
                    "this instance does not listen for outcomes yet (or any more)")));
        }
        CompletableFuture<CommandOutcome> outcome = pending.register(command.commandId());
        CompletableFuture<Void> appended = new CompletableFuture<>();
        CompletableFuture<CommandResult> result = answer(command.commandId(), outcome, appended, outcomeTimeout);
        long takenAt = nanoTime.getAsLong();
        try {
            sender.execute(new QueuedSend(command, outcome, appended, takenAt));
        } catch (RejectedExecutionException e) { // shutting down, or too many sends waiting
            notAppended(outcome, appended, new RejectedExecutionException(
                    "too many commands are waiting to be sent (the log is slow or unreachable)", e));
        }
        return result;
    }

    private void send(SessionCommand command, CompletableFuture<CommandOutcome> outcome,
                      CompletableFuture<Void> appended, long takenAt) {
        if (nanoTime.getAsLong() - takenAt > sendDeadline.toNanos()) {
            notAppended(outcome, appended, new TimeoutException("it waited over " + sendDeadline.toMillis()
                    + " ms to be sent, behind sends that were blocked (the log is slow or unreachable)"));
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, command.key().asString(), AvroCodec.toAvro(command)),
                    (metadata, error) -> {
                        if (error != null) {
                            health.failed(error);
                            notAppended(outcome, appended, error);
                        } else {
                            health.appended();
                            appended.complete(null);
                        }
                    });
        } catch (RuntimeException e) {
            health.failed(e);
            notAppended(outcome, appended, e);
        }
    }

    private static void notAppended(CompletableFuture<CommandOutcome> outcome, CompletableFuture<Void> appended,
                                    Throwable error) {
        CommandNotAppendedException notAppended = new CommandNotAppendedException(error);
        appended.completeExceptionally(notAppended);
        outcome.completeExceptionally(notAppended);
    }

    /**
     * The command's outcome, or, when none comes within {@code timeout} (or it cannot be read), "pending" once the
     * command is known to be appended; a send that fails, before or after the timeout, fails the answer.
     */
    static CompletableFuture<CommandResult> answer(String commandId, CompletableFuture<CommandOutcome> outcome,
                                                   CompletableFuture<Void> appended, Duration timeout) {
        return outcome
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(decided -> result(commandId, decided))
                .exceptionallyCompose(error -> {
                    if (isUnknownResult(error) || isUnknownResult(error.getCause())) {
                        return appended.thenApply(ignored -> new CommandResult.Pending(commandId));
                    }
                    return CompletableFuture.failedFuture(error);
                });
    }

    /**
     * An outcome this version cannot map (a state or reason added by a newer processor, during a rolling upgrade) is
     * read as no outcome: the command was decided all the same, so its answer is "pending", never a 500.
     */
    private static CommandResult result(String commandId, CommandOutcome outcome) {
        try {
            return Outcomes.toResult(outcome);
        } catch (RuntimeException e) {
            throw new OutcomeUnreadableException(commandId, e.toString());
        }
    }

    private static boolean isUnknownResult(Throwable error) {
        return error instanceof TimeoutException || error instanceof OutcomeUnreadableException;
    }

    /**
     * Commands still waiting to be sent are refused, never sent: the service stops only once its requests in flight
     * were answered or their grace period is over ({@code GracefulServer}), so their clients are gone and would not
     * learn that the command was appended. The send in progress completes, and the producer sends what it holds.
     */
    @PreDestroy
    void close() throws InterruptedException {
        List<Runnable> waiting = new ArrayList<>();
        sender.getQueue().drainTo(waiting);
        sender.shutdown();
        waiting.forEach(send -> ((QueuedSend) send).refuse());
        sender.awaitTermination(5, TimeUnit.SECONDS);
        metrics.close();
        producer.close(Duration.ofSeconds(5));
    }

    /** A command waiting for the sender thread. */
    private final class QueuedSend implements Runnable {
        private final SessionCommand command;
        private final CompletableFuture<CommandOutcome> outcome;
        private final CompletableFuture<Void> appended;
        private final long takenAt;

        QueuedSend(SessionCommand command, CompletableFuture<CommandOutcome> outcome,
                   CompletableFuture<Void> appended, long takenAt) {
            this.command = command;
            this.outcome = outcome;
            this.appended = appended;
            this.takenAt = takenAt;
        }

        @Override
        public void run() {
            send(command, outcome, appended, takenAt);
        }

        void refuse() {
            notAppended(outcome, appended, new RejectedExecutionException("the service stopped before sending it"));
        }
    }
}
