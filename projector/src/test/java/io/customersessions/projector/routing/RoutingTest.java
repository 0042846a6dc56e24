package io.customersessions.projector.routing;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTest {

    static final HostInfo SELF = new HostInfo("projector-a", 8081);
    static final HostInfo OTHER = new HostInfo("projector-b", 8081);

    static KeyQueryMetadata ownedBy(HostInfo host) {
        return new KeyQueryMetadata(host, Set.of(), 3);
    }

    @Test
    void a_key_active_here_is_answered_here() {
        assertThat(Routing.route(KafkaStreams.State.RUNNING, ownedBy(SELF), SELF, false))
                .isEqualTo(new Routing.Route.Local());
    }

    @Test
    void a_key_active_elsewhere_is_forwarded_to_its_owner() {
        assertThat(Routing.route(KafkaStreams.State.RUNNING, ownedBy(OTHER), SELF, false))
                .isEqualTo(new Routing.Route.Forward(OTHER));
    }

    @Test
    void a_forwarded_request_for_a_key_active_elsewhere_is_unavailable_never_forwarded_again() {
        assertThat(Routing.route(KafkaStreams.State.RUNNING, ownedBy(OTHER), SELF, true))
                .isInstanceOf(Routing.Route.Unavailable.class);
        assertThat(Routing.route(KafkaStreams.State.RUNNING, ownedBy(SELF), SELF, true))
                .isEqualTo(new Routing.Route.Local());
    }

    @Test
    void a_key_whose_owner_is_not_known_is_unavailable() {
        assertThat(Routing.route(KafkaStreams.State.RUNNING, KeyQueryMetadata.NOT_AVAILABLE, SELF, false))
                .isInstanceOf(Routing.Route.Unavailable.class);
        assertThat(Routing.route(KafkaStreams.State.RUNNING, null, SELF, false))
                .isInstanceOf(Routing.Route.Unavailable.class);
    }

    @ParameterizedTest
    @EnumSource(value = KafkaStreams.State.class, names = "RUNNING", mode = EnumSource.Mode.EXCLUDE)
    void while_not_running_every_key_is_unavailable_even_one_owned_here(KafkaStreams.State state) {
        assertThat(Routing.route(state, ownedBy(SELF), SELF, false)).isInstanceOf(Routing.Route.Unavailable.class);
        assertThat(Routing.peers(state, List.of(member(SELF, 0)), SELF))
                .isInstanceOf(Routing.Peers.Unavailable.class);
    }

    @Test
    void the_peers_of_a_listing_are_the_other_instances_of_the_group() {
        // when
        Routing.Peers peers = Routing.peers(KafkaStreams.State.RUNNING,
                List.of(member(OTHER, 1), member(SELF, 0)), SELF);

        // then
        assertThat(peers).isInstanceOfSatisfying(Routing.Peers.Available.class,
                available -> assertThat(available.others()).containsExactly(OTHER));
    }

    @Test
    void a_partition_moving_to_another_instance_changes_the_peers() {
        Routing.Peers before = Routing.peers(KafkaStreams.State.RUNNING,
                List.of(member(SELF, 0), member(OTHER, 1)), SELF);
        Routing.Peers after = Routing.peers(KafkaStreams.State.RUNNING,
                List.of(member(SELF, 0, 1), member(OTHER)), SELF);

        assertThat(after).isNotEqualTo(before);
        assertThat(Routing.peers(KafkaStreams.State.RUNNING, List.of(member(SELF, 0), member(OTHER, 1)), SELF))
                .isEqualTo(before);
    }

    @Test
    void a_member_without_an_application_server_makes_a_listing_unavailable() {
        assertThat(Routing.peers(KafkaStreams.State.RUNNING, List.of(member(SELF, 0), member(HostInfo.unavailable(), 1)),
                SELF)).isInstanceOf(Routing.Peers.Unavailable.class);
    }

    @Test
    void a_session_id_names_the_partition_of_the_command_that_created_it() {
        long partition5Offset41 = (5L << 40) + 41 + 1;

        assertThat(Routing.partitionOfSessionId(partition5Offset41)).isEqualTo(5);
        assertThat(Routing.partitionOfSessionId(1)).isZero();
        assertThat(Routing.partitionOfSessionId((1L << 40))).isZero(); // offset 2^40 - 1 of partition 0
        assertThat(Routing.partitionOfSessionId(0)).isZero();
        assertThat(Routing.partitionOfSessionId(-7)).isZero();
    }

    private static StreamsMetadata member(HostInfo host, int... partitions) {
        Set<TopicPartition> owned = new HashSet<>();
        for (int p : partitions) {
            owned.add(new TopicPartition("customer-session-commands", p));
        }
        return new StreamsMetadataImpl(host, Set.of("customer-sessions"), owned, Set.of(), Set.of());
    }
}
