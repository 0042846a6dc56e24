package io.customersessions.projector.routing;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Without Kafka ({@code kafka.enabled: false}) there is no group: this instance's stores are all there is, so
 * every read is answered here.
 */
@Singleton
@Requires(property = "kafka.enabled", value = "false")
public class SingleInstance implements StreamsGroup {

    @Override
    public Routing.Route ownerOfKey(String store, String key, boolean forwarded) {
        return new Routing.Route.Local();
    }

    @Override
    public Routing.Route ownerOfPartition(String store, int partition, boolean forwarded) {
        return new Routing.Route.Local();
    }

    @Override
    public Routing.Peers peers() {
        return new Routing.Peers.Available(List.of(), Map.of());
    }
}
