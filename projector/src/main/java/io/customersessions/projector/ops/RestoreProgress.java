package io.customersessions.projector.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far this instance is in restoring its state stores from their changelogs: for each store partition being
 * restored, the changelog offsets still to read. A store partition counts from {@code onRestoreStart} until its
 * restore ends or is suspended (the task moved away); Kafka Streams calls this from its restore threads.
 *
 * <p>Offsets, not records: under exactly-once a changelog holds transaction markers too, so the remaining count
 * can stay slightly above zero until the restore ends, when it drops to zero.
 *
 * <p>Gauges: {@value #REMAINING} (tag {@code store}: offsets left to restore into that store, registered when the
 * store is first restored) and {@value #RESTORING} (store partitions restoring now).
 */
@Singleton
public class RestoreProgress implements StateRestoreListener {

    static final String REMAINING = "customersessions.restore.remaining";
    static final String RESTORING = "customersessions.restore.partitions";

    /** One store partition being restored. */
    private record Restoring(long endOffset, long remaining) {
    }

    /** Progress of one store: partitions restoring and offsets left over all of them. */
    public record StoreProgress(int partitions, long remaining) {
    }

    private final MeterRegistry registry;
    private final Map<String, Map<TopicPartition, Restoring>> stores = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();

    public RestoreProgress(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(RESTORING, this, progress -> progress.restoringPartitions())
                .description("store partitions restoring from their changelogs on this instance")
                .register(registry);
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        partitions(store).put(partition, new Restoring(endingOffset, Math.max(0, endingOffset - startingOffset)));
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        partitions(store).computeIfPresent(partition, (tp, restoring) ->
                new Restoring(restoring.endOffset(), Math.max(0, restoring.endOffset() - batchEndOffset - 1)));
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        partitions(store).remove(partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        partitions(store).remove(partition);
    }

    /** The stores being restored now, by name (sorted); empty when nothing restores. */
    public Map<String, StoreProgress> restoring() {
        Map<String, StoreProgress> progress = new TreeMap<>();
        stores.forEach((store, partitions) -> {
            if (!partitions.isEmpty()) {
                progress.put(store, new StoreProgress(partitions.size(), remaining(store)));
            }
        });
        return progress;
    }

    public boolean isRestoring() {
        return restoringPartitions() > 0;
    }

    private int restoringPartitions() {
        return stores.values().stream().mapToInt(Map::size).sum();
    }

    private long remaining(String store) {
        return stores.getOrDefault(store, Map.of()).values().stream().mapToLong(Restoring::remaining).sum();
    }

    private Map<TopicPartition, Restoring> partitions(String store) {
        Map<TopicPartition, Restoring> partitions = stores.computeIfAbsent(store, name -> new ConcurrentHashMap<>());
        if (gauged.add(store)) {
            Gauge.builder(REMAINING, this, progress -> progress.remaining(store))
                    .description("changelog offsets left to restore into the store on this instance")
                    .tag("store", store)
                    .register(registry);
        }
        return partitions;
    }
}
