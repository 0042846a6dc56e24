package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.SessionEvent;
import org.apache.kafka.common.serialization.Serde;

/** The value serdes of the topology: Avro in Confluent's wire format, built from configuration. */
public record TopologySerdes(Serde<SessionCommand> commands,
                             Serde<SessionEvent> events,
                             Serde<CustomerSessionState> state,
                             Serde<CommandOutcome> outcomes) {
}
