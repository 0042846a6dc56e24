package io.customersessions.projector.routing;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The group as this instance's {@link KafkaStreams} sees it. Stores are partitioned like the topics that feed
 * them, by the session key serialized as a string with Kafka's default partitioner: the processor's stores by the
 * commands topic, the history by the events topic (each store's own source topic, so each is asked by its name).
 * Metadata calls that fail because Streams is not running (or not yet) are "unavailable", never an error.
 */
@Singleton
@Requires(property = "kafka.enabled", notEquals = "false")
public class KafkaStreamsGroup implements StreamsGroup {

    private final KafkaStreams streams;
    private final HostInfo self;

    public KafkaStreamsGroup(KafkaStreams streams,
                             @Value("${kafka.streams.default.application.server}") String applicationServer) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    @Override
    public Routing.Route ownerOfKey(String store, String key, boolean forwarded) {
        return route(() -> streams.queryMetadataForKey(store, key, Serdes.String().serializer()), forwarded);
    }

    @Override
    public Routing.Route ownerOfPartition(String store, int partition, boolean forwarded) {
        StreamPartitioner<String, Object> fixed = (topic, key, value, partitions) ->
                Optional.of(Set.of(partition >= 0 && partition < partitions ? partition : 0));
        return route(() -> streams.queryMetadataForKey(store, "", fixed), forwarded);
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

    private Routing.Route route(Supplier<KeyQueryMetadata> metadata, boolean forwarded) {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            return Routing.route(state, KeyQueryMetadata.NOT_AVAILABLE, self, forwarded);
        }
        try {
            return Routing.route(state, metadata.get(), self, forwarded);
        } catch (RuntimeException e) { // not started, closing, or an unknown store: nobody to ask
            return new Routing.Route.Unavailable("the owner of the key is not known: " + e.getMessage());
        }
    }
}
