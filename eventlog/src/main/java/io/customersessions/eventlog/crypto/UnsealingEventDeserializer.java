package io.customersessions.eventlog.crypto;

import io.customersessions.avro.SessionEvent;
import io.customersessions.domain.SessionKey;
import io.customersessions.eventlog.serde.AvroWireDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import javax.crypto.SecretKey;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How every reader of the event log reads it: the events deserializer ({@code wire}, ours or Confluent's, reading
 * generated classes) with sealed personal data opened. An event without {@code sealed} (no personal data, or
 * written before sealing existed) is returned as it is. A sealed one is opened with its key from {@link DataKeys}
 * and the original event is returned; when the key is erased, the event as the log holds it in clear, i.e.
 * redacted, with both sealed fields cleared (so derived stores keep no ciphertext). A sealed event that fails
 * authentication is an error ({@link SerializationException}), never read as redacted.
 *
 * <p>With our deserializer, a record is first read as its envelope only (ids and sealed fields, the payload
 * skipped), so that a sealed event's redacted copy in clear, which the original replaces, is never built: only the
 * sealed original is read in full. (With another deserializer, the clear event is read in full first.)
 */
public final class UnsealingEventDeserializer implements Deserializer<SessionEvent> {

    /** What opening a sealed event needs of the record in clear: its envelope. */
    private static final String[] ENVELOPE = {"eventId", "applicationId", "integrationId", "sealedWith", "sealed"};

    private final Deserializer<?> wire;
    private final DataKeys keys;
    /** Reads the envelope when {@code wire} is ours; else null. */
    private final AvroWireDeserializer.Projection envelopes;

    public UnsealingEventDeserializer(Deserializer<?> wire, DataKeys keys) {
        this.wire = wire;
        this.keys = keys;
        this.envelopes = wire instanceof AvroWireDeserializer ours
                ? ours.projection(SessionEvent.getClassSchema(), ENVELOPE) : null;
    }

    /** Configures the wrapped deserializer. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        wire.configure(configs, isKey);
    }

    @Override
    public SessionEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        return envelopes == null ? unseal(topic, wire.deserialize(topic, data))
                : deserialize(topic, null, ByteBuffer.wrap(data));
    }

    @Override
    public SessionEvent deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (envelopes == null) {
            return unseal(topic, wire.deserialize(topic, headers, data));
        }
        GenericRecord envelope = envelopes.read(topic, data);
        if (envelope.get("sealed") == null) {
            return event(wire.deserialize(topic, headers, data), topic);
        }
        String eventId = envelope.get("eventId").toString();
        String sessionKey = new SessionKey((Long) envelope.get("applicationId"),
                envelope.get("integrationId").toString()).asString();
        Object sealedWith = envelope.get("sealedWith");
        return open(topic, eventId, sessionKey, sealedWith == null ? null : sealedWith.toString(),
                (ByteBuffer) envelope.get("sealed"), () -> event(wire.deserialize(topic, headers, data), topic));
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
        return open(topic, outer.getEventId(), sessionKey, outer.getSealedWith(), outer.getSealed(), () -> outer);
    }

    /** The sealed original of event {@code eventId}, or, when its key is erased, the event in clear, redacted. */
    private SessionEvent open(String topic, String eventId, String sessionKey, String sealedWith, ByteBuffer sealed,
                              Supplier<SessionEvent> inClear) {
        if (sealedWith == null) {
            throw new SerializationException("event " + eventId + " of " + sessionKey + " is sealed but names no key");
        }
        Optional<SecretKey> key = keys.find(sessionKey, sealedWith);
        if (key.isEmpty()) {
            SessionEvent outer = inClear.get();
            outer.setSealedWith(null);
            outer.setSealed(null);
            return outer;
        }
        byte[] original = EventSealing.unseal(key.get(), sessionKey, eventId, EventSealing.bytes(sealed));
        SessionEvent inner = event(wire.deserialize(topic, original), topic);
        if (!inner.getEventId().equals(eventId) || inner.getSealed() != null) {
            throw new SerializationException("the sealed original of event " + eventId + " of "
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
