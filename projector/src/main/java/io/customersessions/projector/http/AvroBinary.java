package io.customersessions.projector.http;

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
 * Plain Avro binary (no registry header) of today's schemas, the body format of the internal dry-run endpoint.
 * Both sides must run the same schema version: the writer's schema is not sent along.
 */
final class AvroBinary {

    static {
        AvroSchemas.trustGeneratedClasses();
    }

    private AvroBinary() {
    }

    /** @throws IOException when the bytes are not exactly one {@link SessionCommand} */
    static SessionCommand readCommand(byte[] bytes) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        SessionCommand command;
        try {
            command = new SpecificDatumReader<>(SessionCommand.class).read(null, decoder);
        } catch (RuntimeException e) {
            throw new IOException("not an Avro SessionCommand: " + e.getMessage(), e);
        }
        if (!decoder.isEnd()) {
            throw new IOException("bytes left over after the Avro SessionCommand");
        }
        return command;
    }

    static byte[] write(CommandOutcome outcome) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(CommandOutcome.class).write(outcome, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }
}
