package io.customersessions.projector.query;

import io.customersessions.domain.SessionKey;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorePartitionsTest {

    private static final HostInfo A = new HostInfo("projector-a", 8081);
    private static final HostInfo B = new HostInfo("projector-b", 8081);

    /** A read must go to the partition the session-service's producer wrote the session's commands to. */
    @Test
    void aKeysPartitionIsTheOneTheProducerChoosesForIt() {
        for (int partitions : new int[]{1, 6, 12}) {
            for (int i = 0; i < 2_000; i++) {
                String key = new SessionKey(1 + i % 3, "session-" + i + "-ü").asString();
                assertEquals(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions),
                        StorePartitions.partitionOf(key, partitions), key + " of " + partitions + " partitions");
            }
        }
    }

    @Test
    void ownersAnswerByKeyByPartitionAndByInstance() {
        StorePartitions.Owners owners = new StorePartitions.Owners(7, List.of(
                owner(A, 0), owner(B, 1), owner(A, 2)));
        String key = "1:some-session";
        assertEquals(StorePartitions.partitionOf(key, 3), owners.ofKey(key).partition());
        assertEquals(B, owners.ofPartition(1).activeHost());
        assertEquals(A, owners.ofPartition(3).activeHost(), "a partition beyond the topic's is partition 0");
        assertEquals(A, owners.ofPartition(-1).activeHost());
        assertEquals(Set.of(0, 2), owners.activeOn(A));
        assertEquals(Set.of(1), owners.activeOn(B));
        assertTrue(owners.complete());
    }

    @Test
    void ownersWithAPartitionWithoutAnActiveInstanceAreIncomplete() {
        StorePartitions.Owners owners = new StorePartitions.Owners(7, List.of(owner(A, 0),
                KeyQueryMetadata.NOT_AVAILABLE));
        assertFalse(owners.complete());
        assertEquals(Set.of(0), owners.activeOn(A));
    }

    private static KeyQueryMetadata owner(HostInfo active, int partition) {
        return new KeyQueryMetadata(active, Set.of(), partition);
    }
}
