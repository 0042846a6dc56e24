package io.customersessions.projector.views;

import io.customersessions.avro.SessionEvent;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * {@link StoredEvent} as bytes: a version byte, partition, offset, the summary (numbers as plain decimal text),
 * then the event in the same wire format as the log (Confluent's, schema id included, subject {@code
 * <events topic>-value}), so an entry stays readable after the event schema evolves, like the log itself.
 */
public final class StoredEventSerde implements Serde<StoredEvent> {

    private static final byte VERSION = 1;

    private final String eventsTopic;
    private final Serde<SessionEvent> events;

    public StoredEventSerde(String eventsTopic, Serde<SessionEvent> events) {
        this.eventsTopic = eventsTopic;
        this.events = events;
    }

    @Override
    public Serializer<StoredEvent> serializer() {
        return (topic, stored) -> stored == null ? null : write(stored);
    }

    @Override
    public Deserializer<StoredEvent> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    private byte[] write(StoredEvent stored) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(stored.partition());
            out.writeLong(stored.offset());
            StoredEvent.StateAfter after = stored.after();
            out.writeInt(after.updateCount());
            out.writeUTF(after.state());
            out.writeUTF(after.profileId());
            out.writeUTF(after.cartItemTotal().toPlainString());
            out.writeUTF(after.additionalCostTotal().toPlainString());
            out.writeUTF(after.total().toPlainString());
            byte[] event = events.serializer().serialize(eventsTopic, stored.event());
            out.writeInt(event.length);
            out.write(event);
        } catch (IOException e) {
            throw new SerializationException("writing a history entry to memory failed", e);
        }
        return bytes.toByteArray();
    }

    private StoredEvent read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("unknown history entry version " + version);
            }
            int partition = in.readInt();
            long offset = in.readLong();
            StoredEvent.StateAfter after = new StoredEvent.StateAfter(in.readInt(), in.readUTF(), in.readUTF(),
                    new BigDecimal(in.readUTF()), new BigDecimal(in.readUTF()), new BigDecimal(in.readUTF()));
            byte[] event = new byte[in.readInt()];
            in.readFully(event);
            return new StoredEvent(events.deserializer().deserialize(eventsTopic, event), partition, offset, after);
        } catch (IOException e) {
            throw new SerializationException("not a history entry", e);
        }
    }
}
