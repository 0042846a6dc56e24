package io.customersessions.projector.routing;

/**
 * This instance's view of the Kafka Streams group it runs in: who owns a key or a partition of a store, and who
 * the other instances are. In the service it is {@link KafkaStreamsGroup}; without Kafka ({@code kafka.enabled:
 * false}, the HTTP tests) it is {@link SingleInstance}.
 */
public interface StreamsGroup {

    /**
     * Where a read of {@code key} in {@code store} is answered. The key is the store's partitioning key: the
     * session key ({@code <applicationId>:<integrationId>}) for every store the query API reads by key.
     */
    Routing.Route ownerOfKey(String store, String key, boolean forwarded);

    /** Where a read of {@code partition} of {@code store} is answered; a partition beyond the topic's is partition 0. */
    Routing.Route ownerOfPartition(String store, int partition, boolean forwarded);

    Routing.Peers peers();
}
