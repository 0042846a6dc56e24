package io.customersessions.eventlog.crypto;

import io.customersessions.avro.SessionEvent;
import io.customersessions.domain.SessionKey;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import javax.crypto.SecretKey;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;

/**
 * How every reader of the event log reads it: the events deserializer ({@code wire}, ours or Confluent's, reading
 * generated classes) with sealed personal data opened. An event without {@code sealed} (no personal data, or
 * written before sealing existed) is returned as it is. A sealed one is opened with its key from {@link DataKeys}
 * and the original event is returned; when the key is erased, the event as the log holds it in clear, i.e.
 * redacted, with both sealed fields cleared (so derived stores keep no ciphertext). A sealed event that fails
 * authentication is an error ({@link SerializationException}), never read as redacted.
 */
public final class UnsealingEventDeserializer implements Deserializer<SessionEvent> {

    private final Deserializer<?> wire;
    private final DataKeys keys;

    public UnsealingEventDeserializer(Deserializer<?> wire, DataKeys keys) {
        this.wire = wire;
        this.keys = keys;
    }

    /** Configures the wrapped deserializer. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        wire.configure(configs, isKey);
    }

    @Override
    public SessionEvent deserialize(String topic, byte[] data) {
        return data == null ? null : unseal(topic, wire.deserialize(topic, data));
    }

    @Override
    public SessionEvent deserialize(String topic, Headers headers, ByteBuffer data) {
        return data == null ? null : unseal(topic, wire.deserialize(topic, headers, data));
    }

    @Override
    public void close() {
        wire.close();
    }

    private SessionEvent unseal(String topic, Object value) {
        SessionEvent outer = event(value, topic);
        if (outer.getSealed() == null) {
            return outer;
        }
        String sessionKey = new SessionKey(outer.getApplicationId(), outer.getIntegrationId()).asString();
        if (outer.getSealedWith() == null) {
            throw new SerializationException("event " + outer.getEventId() + " of " + sessionKey
                    + " is sealed but names no key");
        }
        Optional<SecretKey> key = keys.find(sessionKey, outer.getSealedWith());
        if (key.isEmpty()) {
            return SessionEvent.newBuilder(outer).setSealedWith(null).setSealed(null).build();
        }
        byte[] original = EventSealing.unseal(key.get(), sessionKey, outer.getEventId(),
                EventSealing.bytes(outer.getSealed()));
        SessionEvent inner = event(wire.deserialize(topic, original), topic);
        if (!inner.getEventId().equals(outer.getEventId()) || inner.getSealed() != null) {
            throw new SerializationException("the sealed original of event " + outer.getEventId() + " of "
                    + sessionKey + " is another event (" + inner.getEventId() + ")");
        }
        return inner;
    }

    private static SessionEvent event(Object value, String topic) {
        if (value instanceof SessionEvent event) {
            return event;
        }
        throw new SerializationException("a record of " + topic + " is not a SessionEvent but "
                + (value == null ? "null" : value.getClass().getName())
                + " (the events deserializer must read generated classes: specific.avro.reader=true)");
    }
}
