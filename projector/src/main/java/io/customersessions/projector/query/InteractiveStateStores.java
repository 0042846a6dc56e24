package io.customersessions.projector.query;

import io.customersessions.eventlog.Topics;
import io.micronaut.configuration.kafka.streams.InteractiveQueryService;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The stores of this instance's running Kafka Streams, through interactive queries: each store spans the
 * partitions this instance owns (global stores: all partitions). Reads see what the processor has written,
 * possibly a moment before its transaction commits.
 *
 * <p>Invariant: a store is handed out only when <em>every</em> partition of it that this instance is assigned is
 * queryable. Right after a rebalance the metadata already names this instance as the owner of its new partitions
 * while the client is still {@code RUNNING} and their tasks do not exist yet (seen: about 150 ms), and Kafka
 * Streams' composite store silently leaves out a partition without a running task: a read of one of its keys would
 * answer "not found" and a listing would miss its rows. Instead the caller gets {@link StoreUnavailableException}
 * (503, retry) until every assigned partition has its task.
 */
@Singleton
public class InteractiveStateStores implements StateStores {

    private final InteractiveQueryService queries;
    private final BeanProvider<KafkaStreams> streams;
    private final HostInfo self;

    public InteractiveStateStores(InteractiveQueryService queries, BeanProvider<KafkaStreams> streams,
                                  @Value("${kafka.streams.default.application.server}") String applicationServer) {
        this.queries = queries;
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        ReadOnlyKeyValueStore<String, V> store = queries.getQueryableStore(name,
                        QueryableStoreTypes.<String, V>keyValueStore())
                .orElseThrow(() -> new StoreUnavailableException("the store '" + name + "' is not available yet"));
        if (!name.equals(Topics.PROFILE_FIRST_SESSIONS_STORE)) { // global: every partition, restored before RUNNING
            requireEveryAssignedPartition(name);
        }
        return store;
    }

    private void requireEveryAssignedPartition(String name) {
        KafkaStreams kafkaStreams = streams.get();
        try {
            for (StreamsMetadata host : kafkaStreams.streamsMetadataForStore(name)) {
                if (!host.hostInfo().equals(self)) {
                    continue;
                }
                for (TopicPartition partition : host.topicPartitions()) {
                    // store() is lazy: the partition's task is looked up when the store is used
                    kafkaStreams.store(StoreQueryParameters.fromNameAndType(name,
                            QueryableStoreTypes.keyValueStore()).withPartition(partition.partition()))
                            .approximateNumEntries();
                }
            }
        } catch (InvalidStateStoreException e) {
            throw new StoreUnavailableException("a partition of the store '" + name
                    + "' is still being restored on this instance: " + e.getMessage());
        }
    }
}
