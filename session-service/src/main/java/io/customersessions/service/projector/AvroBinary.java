package io.customersessions.service.projector;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.SessionCommand;
import io.customersessions.eventlog.serde.AvroSchemas;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Plain Avro binary (no registry header) of today's schemas, the body format of the projector's internal dry-run
 * endpoint. Both services are built from the same schemas, so the writer's schema is not sent along.
 */
final class AvroBinary {

    static final String COMMAND_TYPE = "application/vnd.customer-sessions.command+avro";
    static final String OUTCOME_TYPE = "application/vnd.customer-sessions.outcome+avro";

    static {
        AvroSchemas.trustGeneratedClasses();
    }

    private AvroBinary() {
    }

    static byte[] write(SessionCommand command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(SessionCommand.class).write(command, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** @throws IOException when the bytes are not exactly one {@link CommandOutcome} */
    static CommandOutcome readOutcome(byte[] bytes) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        CommandOutcome outcome;
        try {
            outcome = new SpecificDatumReader<>(CommandOutcome.class).read(null, decoder);
        } catch (RuntimeException e) {
            throw new IOException("not an Avro CommandOutcome: " + e.getMessage(), e);
        }
        if (!decoder.isEnd()) {
            throw new IOException("bytes left over after the Avro CommandOutcome");
        }
        return outcome;
    }
}
