package io.customersessions.bench;

import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.eventlog.serde.AvroWireConfig;
import io.customersessions.eventlog.serde.AvroWireSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts sessions into the running system fast: creation commands straight into the commands topic with a plain
 * producer (no HTTP), then waits until the projector's processor has folded them all.
 */
final class CommandLoader {

    private CommandLoader() {
    }

    /**
     * Appends the creation of {@code sessionId(runId, 1..count)} and waits for the processor.
     *
     * @return nanoseconds from the first send until the processor had committed the last command
     */
    static long load(String bootstrapServers, String schemaRegistryUrl, String commandsTopic, String processorGroup,
                     String runId, int count, long seed) {
        Map<String, Object> config = new HashMap<>(KafkaLimits.PRODUCER_SETTINGS);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-loader");
        AvroWireSerializer serializer = new AvroWireSerializer();
        serializer.configure(Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl), false);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        try (KafkaProducer<String, Object> producer =
                     new KafkaProducer<>(config, new StringSerializer(), serializer)) {
            Workload.creations(runId, count, seed, command -> producer.send(
                    new ProducerRecord<>(commandsTopic, command.key().asString(), AvroCodec.toAvro(command)),
                    (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    }));
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("loading sessions failed: " + failure.get(), failure.get());
        }
        try (GroupProgress progress = new GroupProgress(bootstrapServers)) {
            progress.awaitCaughtUp(processorGroup, commandsTopic, Duration.ofMillis(250), Duration.ofSeconds(120),
                    () -> false);
        }
        return System.nanoTime() - started;
    }
}
