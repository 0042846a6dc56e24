package io.customersessions.eventlog.internal;

import io.customersessions.eventlog.serde.AvroSchemas;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Plain Avro binary (no registry header) of today's schemas: the body format session-services before {@link
 * RegisteredAvro} sent to the projector's internal dry-run endpoint, which still accepts it from them. The writer's
 * schema is not sent along, so only a reader of the same schema version reads it; never used for the log, whose
 * records carry their schema id.
 */
public final class AvroBinary {

    public static final String COMMAND_TYPE = "application/vnd.customer-sessions.command+avro";
    public static final String OUTCOME_TYPE = "application/vnd.customer-sessions.outcome+avro";

    static {
        AvroSchemas.trustGeneratedClasses();
    }

    private AvroBinary() {
    }

    @SuppressWarnings("unchecked")
    public static byte[] write(SpecificRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>((Class<SpecificRecord>) record.getClass()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** @throws IOException when the bytes are not exactly one {@code type} record */
    public static <T extends SpecificRecord> T read(byte[] bytes, Class<T> type) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        T record;
        try {
            record = new SpecificDatumReader<>(type).read(null, decoder);
        } catch (RuntimeException e) {
            throw new IOException("not an Avro " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        if (!decoder.isEnd()) {
            throw new IOException("bytes left over after the Avro " + type.getSimpleName());
        }
        return record;
    }
}
