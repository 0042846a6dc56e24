package io.customersessions.projector.routing;

import io.customersessions.projector.query.StorePartitions;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.util.function.Function;

/**
 * The group as this instance's {@link KafkaStreams} sees it. Stores are partitioned like the topics that feed
 * them, by the session key serialized as a string with Kafka's default partitioner: the processor's stores by the
 * commands topic, the history by the events topic (each store's own source topic, so each is asked by its name).
 * Metadata calls that fail because Streams is not running (or not yet) are "unavailable", never an error. Who owns
 * which partition is remembered between rebalances ({@link StorePartitions}).
 */
@Singleton
@Requires(property = "kafka.enabled", notEquals = "false")
public class KafkaStreamsGroup implements StreamsGroup {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final StorePartitions partitions;

    public KafkaStreamsGroup(KafkaStreams streams,
                             @Value("${kafka.streams.default.application.server}") String applicationServer,
                             StorePartitions partitions) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
        this.partitions = partitions;
    }

    @Override
    public Routing.Route ownerOfKey(String store, String key, boolean forwarded) {
        return route(store, owners -> owners.ofKey(key), forwarded);
    }

    @Override
    public Routing.Route ownerOfPartition(String store, int partition, boolean forwarded) {
        return route(store, owners -> owners.ofPartition(partition), forwarded);
    }

    @Override
    public Routing.Peers peers() {
        KafkaStreams.State state = streams.state();
        try {
            return Routing.peers(state, streams.metadataForAllStreamsClients(), self);
        } catch (RuntimeException e) {
            return new Routing.Peers.Unavailable("the group's metadata is not available: " + e.getMessage());
        }
    }

    private Routing.Route route(String store, Function<StorePartitions.Owners, KeyQueryMetadata> owner,
                                boolean forwarded) {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            return Routing.route(state, KeyQueryMetadata.NOT_AVAILABLE, self, forwarded);
        }
        try {
            KeyQueryMetadata metadata = partitions.owners(streams, store).map(owner)
                    .orElse(KeyQueryMetadata.NOT_AVAILABLE);
            return Routing.route(state, metadata, self, forwarded);
        } catch (RuntimeException e) { // not started, closing, or an unknown store: nobody to ask
            return new Routing.Route.Unavailable("the owner of the key is not known: " + e.getMessage());
        }
    }
}
