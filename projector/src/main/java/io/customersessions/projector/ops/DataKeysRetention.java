package io.customersessions.projector.ops;

import io.customersessions.eventlog.config.LogSettings;
import io.customersessions.eventlog.crypto.KafkaDataKeys;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * After each rebalance, lets the data keys go of the event log partitions this instance no longer reads
 * ({@link KafkaDataKeys#keepOnly}). Only active tasks open sealed events (a standby restores its stores from their
 * changelogs), so the keys kept are those of the event log partitions of this instance's active tasks.
 *
 * <p>It runs on a thread of its own once the client is {@code RUNNING}, and does nothing if the client left that
 * state meanwhile (the next {@code RUNNING} tries again). Letting go is safe even if a new rebalance has already given
 * a partition back: a look-up in it then reads it again.
 */
@Singleton
class DataKeysRetention {

    private static final Logger LOG = LoggerFactory.getLogger(DataKeysRetention.class);

    private final KafkaDataKeys dataKeys;
    private final StreamsStateChanges stateChanges;
    private final String eventLog;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "data-keys-retention");
        thread.setDaemon(true);
        return thread;
    });

    DataKeysRetention(KafkaDataKeys dataKeys, StreamsStateChanges stateChanges, LogSettings settings) {
        this.dataKeys = dataKeys;
        this.stateChanges = stateChanges;
        this.eventLog = settings.topics().events();
    }

    /** Called by the client's state listener on the stream thread; the work is done on this one's thread. */
    void onRunning(KafkaStreams streams) {
        try {
            worker.execute(() -> retain(streams));
        } catch (RejectedExecutionException closing) {
            // shutting down: nothing to let go of any more
        }
    }

    private void retain(KafkaStreams streams) {
        try {
            long changes = stateChanges.count();
            if (streams.state() != KafkaStreams.State.RUNNING) {
                return;
            }
            Set<Integer> read = new HashSet<>();
            for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                for (TaskMetadata task : thread.activeTasks()) {
                    addEventLog(task.topicPartitions(), read);
                }
            }
            Set<Integer> everyPartition = new HashSet<>();
            for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
                addEventLog(instance.topicPartitions(), everyPartition);
            }
            if (stateChanges.count() != changes || everyPartition.isEmpty()) {
                return;
            }
            dataKeys.keepOnly(read, everyPartition.size());
        } catch (RuntimeException e) {
            LOG.warn("could not let go of the data keys of the partitions this instance no longer reads", e);
        }
    }

    private void addEventLog(Collection<TopicPartition> partitions, Set<Integer> into) {
        for (TopicPartition partition : partitions) {
            if (partition.topic().equals(eventLog)) {
                into.add(partition.partition());
            }
        }
    }

    @PreDestroy
    void close() {
        worker.shutdownNow();
    }
}
