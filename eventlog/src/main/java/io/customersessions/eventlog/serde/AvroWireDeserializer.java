package io.customersessions.eventlog.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent's wire format (magic byte 0, 4-byte big-endian schema id, Avro binary). A drop-in for Confluent's
 * {@code KafkaAvroDeserializer} configured with the same keys ({@link AvroWireConfig}).
 *
 * <p>The writer schema is fetched from the registry by id (once). With {@code specific.avro.reader=true} the record
 * is read into the generated class named by the writer schema, with that class's schema as the reader schema, so a
 * record written before a field was added reads with the field's default. Otherwise the result is a {@code
 * GenericRecord} in the writer schema (strings as {@link Utf8}, logical types as their underlying type, as
 * Confluent's). A top-level string is returned as a {@link String}. Thread-safe.
 */
public class AvroWireDeserializer implements Deserializer<Object> {

    static {
        AvroSchemas.trustGeneratedClasses();
    }

    private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();

    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean specificReader;

    /** Kafka instantiates the deserializer by class name and then calls {@link #configure}. */
    public AvroWireDeserializer() {
    }

    /**
     * A deserializer on {@code registry}; {@link #configure} is optional.
     *
     * @param specificReader true to read generated classes, false for {@code GenericRecord}s
     */
    public AvroWireDeserializer(SchemaRegistryClient registry, boolean specificReader) {
        this.registry = registry;
        this.specificReader = specificReader;
    }

    /**
     * Reads {@link AvroWireConfig}'s keys. A registry given to the constructor is kept; otherwise {@code
     * schema.registry.url} is required.
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            AvroWireConfig config = AvroWireConfig.from(configs);
            registry = config.client();
            specificReader = config.specificAvroReader();
        } else if (configs.containsKey(AvroWireConfig.SPECIFIC_AVRO_READER)) {
            specificReader = Boolean.parseBoolean(configs.get(AvroWireConfig.SPECIFIC_AVRO_READER).toString());
        }
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        return read(topic, data, 0, data.length);
    }

    @Override
    public Object deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return read(topic, data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return read(topic, copy, 0, copy.length);
    }

    private Object read(String topic, byte[] data, int offset, int length) {
        int id = schemaId(topic, data, offset, length);
        DatumReader<Object> reader = readers.get(id);
        if (reader == null) {
            reader = newReader(id);
            DatumReader<Object> raced = readers.putIfAbsent(id, reader);
            reader = raced != null ? raced : reader;
        }
        Object result = decode(reader, id, topic, data, offset, length);
        return result instanceof Utf8 utf8 ? utf8.toString() : result;
    }

    /**
     * A reader of the named {@code fields} of records of {@code record} only: Avro's schema resolution skips the
     * other fields without building them (for a reader that needs two fields of a large record, say, to decide
     * whether to read it all). Thread-safe.
     */
    public Projection projection(Schema record, String... fields) {
        List<Schema.Field> projected = new ArrayList<>();
        for (String name : fields) {
            Schema.Field field = record.getField(name);
            if (field == null) {
                throw new IllegalArgumentException(record.getFullName() + " has no field " + name);
            }
            projected.add(new Schema.Field(field, field.schema()));
        }
        return new Projection(Schema.createRecord(record.getName(), null, record.getNamespace(), false, projected));
    }

    /** See {@link #projection}. */
    public final class Projection {

        private final Schema schema;
        private final Map<Integer, DatumReader<Object>> projectionReaders = new ConcurrentHashMap<>();

        private Projection(Schema schema) {
            this.schema = schema;
        }

        /**
         * The projected fields of the record in {@code data} (Confluent's wire format), which is not consumed: strings
         * may be {@link Utf8}.
         */
        public GenericRecord read(String topic, ByteBuffer data) {
            byte[] bytes;
            int offset;
            if (data.hasArray()) {
                bytes = data.array();
                offset = data.arrayOffset() + data.position();
            } else {
                bytes = new byte[data.remaining()];
                data.duplicate().get(bytes);
                offset = 0;
            }
            int id = schemaId(topic, bytes, offset, data.remaining());
            DatumReader<Object> reader = projectionReaders.computeIfAbsent(id,
                    key -> new GenericDatumReader<>(registry.byId(key), schema, GenericData.get()));
            Object result = decode(reader, id, topic, bytes, offset, data.remaining());
            if (!(result instanceof GenericRecord record)) {
                throw new SerializationException("schema id " + id + " of a record from topic " + topic
                        + " is not a record of " + schema.getFullName());
            }
            return record;
        }
    }

    private int schemaId(String topic, byte[] data, int offset, int length) {
        if (registry == null) {
            throw new IllegalStateException("AvroWireDeserializer is not configured: no schema registry");
        }
        if (length < WireFormat.HEADER_SIZE || data[offset] != WireFormat.MAGIC_BYTE) {
            throw new SerializationException(length == 0
                    ? "Empty record from topic " + topic + ": not in Confluent's Avro wire format"
                    : String.format("Unknown magic byte 0x%02x in a %d-byte record from topic %s: not in Confluent's "
                            + "Avro wire format (magic byte 0, 4-byte schema id, Avro binary)",
                            data[offset], length, topic));
        }
        return ((data[offset + 1] & 0xff) << 24) | ((data[offset + 2] & 0xff) << 16)
                | ((data[offset + 3] & 0xff) << 8) | (data[offset + 4] & 0xff);
    }

    private static Object decode(DatumReader<Object> reader, int id, String topic, byte[] data, int offset,
                                 int length) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, offset + WireFormat.HEADER_SIZE,
                    length - WireFormat.HEADER_SIZE, DECODER.get());
            DECODER.set(decoder);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Error deserializing Avro message for schema id " + id + " from topic "
                    + topic, e);
        }
    }

    private DatumReader<Object> newReader(int id) {
        Schema writer = registry.byId(id);
        if (!specificReader || writer.getType() != Schema.Type.RECORD) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        Class<?> generated = SpecificData.get().getClass(writer);
        if (generated == null) {
            throw new SerializationException("Could not find the class " + writer.getFullName() + " named by the "
                    + "writer schema " + id + " to read a SpecificRecord (specific.avro.reader=true)");
        }
        Schema reader = SpecificData.get().getSchema(generated);
        // The class's own model carries its logical-type conversions (e.g. timestamp-millis -> Instant).
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
    }
}
