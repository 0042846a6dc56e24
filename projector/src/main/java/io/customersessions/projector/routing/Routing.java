package io.customersessions.projector.routing;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The routing decisions of the query API, as pure functions of what Kafka Streams says about the group. A read is
 * answered where the partition holding its key is active: anywhere else the key is simply absent, and an absent
 * key would be a wrong 404. Whenever that place is not known for sure the answer is "unavailable" (503, retry).
 */
public final class Routing {

    /** As the processor assigns them: {@code partition · 2^40 + offset + 1} of the command that created the session. */
    private static final int SESSION_ID_OFFSET_BITS = 40;

    private Routing() {
    }

    /**
     * The commands partition a Management API session id names, where the session and its id view entry live. An
     * id no session can have (zero, negative) names partition 0, whose owner then answers 404.
     */
    public static int partitionOfSessionId(long id) {
        return id <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (id - 1) >>> SESSION_ID_OFFSET_BITS);
    }

    /** Where a single-key read is answered. */
    public sealed interface Route {
        /** This instance owns the key's partition (active). */
        record Local() implements Route {
        }

        /** Another instance owns it. */
        record Forward(HostInfo owner) implements Route {
        }

        /** Nobody is known to own it right now (rebalance, start-up, stale view): 503. */
        record Unavailable(String reason) implements Route {
        }
    }

    /** The instances a listing that spans every partition gathers from. */
    public sealed interface Peers {
        /**
         * Every partition is active on exactly one instance of the group: this one (its part is computed locally)
         * and {@code others}. {@code assignment} (instance → its active partitions) tells whether the group changed
         * while a listing was gathered.
         */
        record Available(List<HostInfo> others, Map<String, Set<String>> assignment) implements Peers {
            public Available {
                others = List.copyOf(others);
                assignment = Map.copyOf(assignment);
            }
        }

        record Unavailable(String reason) implements Peers {
        }
    }

    /**
     * @param forwarded the request was already forwarded by another instance: it is answered here or not at all,
     *                  so two instances with different views of the group can never forward it back and forth
     */
    public static Route route(KafkaStreams.State state, KeyQueryMetadata metadata, HostInfo self, boolean forwarded) {
        if (state != KafkaStreams.State.RUNNING) {
            return new Route.Unavailable("the processor is " + state + ", not RUNNING");
        }
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)
                || metadata.activeHost() == null || metadata.activeHost().equals(HostInfo.unavailable())) {
            return new Route.Unavailable("the owner of the key is not known right now");
        }
        if (metadata.activeHost().equals(self)) {
            return new Route.Local();
        }
        if (forwarded) {
            return new Route.Unavailable("forwarded here, but " + metadata.activeHost() + " owns the key");
        }
        return new Route.Forward(metadata.activeHost());
    }

    /** The peers of a scatter-gather: only while this instance runs and the group's metadata is known. */
    public static Peers peers(KafkaStreams.State state, Collection<StreamsMetadata> group, HostInfo self) {
        if (state != KafkaStreams.State.RUNNING) {
            return new Peers.Unavailable("the processor is " + state + ", not RUNNING");
        }
        if (group.stream().anyMatch(member -> member.hostInfo() == null
                || member.hostInfo().equals(HostInfo.unavailable()))) {
            return new Peers.Unavailable("an instance of the group has no application.server");
        }
        List<HostInfo> others = group.stream().map(StreamsMetadata::hostInfo)
                .filter(host -> !host.equals(self))
                .distinct()
                .sorted(Comparator.comparing(HostInfo::host).thenComparingInt(HostInfo::port))
                .toList();
        Map<String, Set<String>> assignment = new TreeMap<>();
        group.forEach(member -> assignment.put(member.hostInfo().toString(), member.topicPartitions().stream()
                .map(Object::toString).collect(Collectors.toUnmodifiableSet())));
        return new Peers.Available(others, assignment);
    }
}
