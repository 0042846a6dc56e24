package io.customersessions.projector.ops;

import io.micronaut.health.HealthStatus;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Liveness fails only when a restart is the one way back: the Kafka Streams client shut down after a failure. */
class StreamsLivenessTest {

    @Test
    void a_client_shut_down_by_a_failure_is_not_alive() {
        assertThat(StreamsLiveness.assess(Optional.of(State.ERROR)).getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(StreamsLiveness.assess(Optional.of(State.PENDING_ERROR)).getStatus()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void a_client_that_rebalances_restores_or_waits_for_the_broker_is_alive() {
        for (State state : new State[] {State.CREATED, State.REBALANCING, State.RUNNING, State.PENDING_SHUTDOWN}) {
            assertThat(StreamsLiveness.assess(Optional.of(state)).getStatus()).as(state.name())
                    .isEqualTo(HealthStatus.UP);
        }
        assertThat(StreamsLiveness.assess(Optional.empty()).getStatus()).isEqualTo(HealthStatus.UP);
    }
}
