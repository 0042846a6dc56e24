package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.SessionDataKey;
import io.customersessions.avro.SessionEvent;
import io.customersessions.eventlog.crypto.DataKeys;
import io.customersessions.eventlog.crypto.UnsealingEventDeserializer;
import io.customersessions.eventlog.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.Map;

/**
 * The value serdes of the topology: Avro in Confluent's wire format, built from configuration. {@code events}
 * writes and reads the log's records as they are (sealed personal data stays sealed); every reader of the log reads
 * it through {@link #eventLog()}, which opens sealed personal data with {@code dataKeys}.
 */
public record TopologySerdes(Serde<SessionCommand> commands,
                             Serde<SessionEvent> events,
                             Serde<CustomerSessionState> state,
                             Serde<CommandOutcome> outcomes,
                             Serde<SessionDataKey> keys,
                             DataKeys dataKeys) {

    /** Every serde over the named serializer and deserializer classes (ours or Confluent's), specific. */
    public static TopologySerdes of(String serializerClass, String deserializerClass, Map<String, ?> config,
                                    DataKeys dataKeys) {
        return new TopologySerdes(AvroSerdes.specific(serializerClass, deserializerClass, config, false),
                AvroSerdes.specific(serializerClass, deserializerClass, config, false),
                AvroSerdes.specific(serializerClass, deserializerClass, config, false),
                AvroSerdes.specific(serializerClass, deserializerClass, config, false),
                AvroSerdes.specific(serializerClass, deserializerClass, config, false),
                dataKeys);
    }

    /** Our serdes ({@link AvroSerdes#ours}). */
    public static TopologySerdes ours(Map<String, ?> config, DataKeys dataKeys) {
        return of(AvroSerdes.SERIALIZER, AvroSerdes.DESERIALIZER, config, dataKeys);
    }

    /**
     * {@code serde} writing and reading under {@code topic}'s subject ({@code <topic>-value}) whatever topic Kafka
     * Streams names: a store's values are serialized with the name of its changelog topic, which would register a
     * subject per store and per application id (every views generation a new set) besides the documented
     * {@code <topic>-value} ones, and fail on a registry that takes no new subject ({@code auto.register.schemas=false}
     * with the subjects registered beforehand, or access control by subject). A store holds the same records as the
     * topic named, so it shares its subject; reads go by schema id, whatever subject the bytes were written under.
     */
    public static <T> Serde<T> underSubjectOf(String topic, Serde<T> serde) {
        return Serdes.serdeFrom((ignored, value) -> serde.serializer().serialize(topic, value),
                (ignored, bytes) -> serde.deserializer().deserialize(topic, bytes));
    }

    /** The event log as its readers read it: sealed personal data opened, or redacted where its key is erased. */
    public Serde<SessionEvent> eventLog() {
        return Serdes.serdeFrom(events.serializer(), new UnsealingEventDeserializer(events.deserializer(), dataKeys));
    }
}
