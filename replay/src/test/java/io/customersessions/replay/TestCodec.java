package io.customersessions.replay;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.eventlog.serde.AvroWireDeserializer;
import io.customersessions.eventlog.serde.AvroWireSerializer;

import java.util.Map;

/**
 * The wire form of the state topic over an in-memory registry, with or without the byte-for-byte fast path, counting
 * how many live states it had to decode.
 */
final class TestCodec implements StateCodec {

    static final String TOPIC = "customer-session-state";
    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mock://replay-tests",
            "specific.avro.reader", true);

    private final AvroWireSerializer serializer = new AvroWireSerializer();
    private final AvroWireDeserializer deserializer = new AvroWireDeserializer();
    private final boolean fastPath;
    private int decoded;

    private TestCodec(boolean fastPath) {
        this.fastPath = fastPath;
        serializer.configure(SERDE, false);
        deserializer.configure(SERDE, false);
    }

    static TestCodec withFastPath() {
        return new TestCodec(true);
    }

    /** As when the registry does not know this version's schema. */
    static TestCodec withoutFastPath() {
        return new TestCodec(false);
    }

    /** The record value the projector writes for {@code state}. */
    byte[] wire(CustomerSessionState state) {
        return serializer.serialize(TOPIC, state);
    }

    @Override
    public CustomerSessionState decode(byte[] wire) {
        decoded++;
        return (CustomerSessionState) deserializer.deserialize(TOPIC, wire);
    }

    @Override
    public byte[] encode(CustomerSessionState state) {
        return fastPath ? wire(state) : null;
    }

    int decoded() {
        return decoded;
    }

    @Override
    public String toString() {
        return fastPath ? "with the byte-for-byte fast path" : "field by field only";
    }
}
