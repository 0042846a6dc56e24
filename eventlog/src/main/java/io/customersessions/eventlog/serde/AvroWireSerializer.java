package io.customersessions.eventlog.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated {@link SpecificRecord}s, {@code GenericRecord}s, or Avro primitives) in Confluent's
 * wire format: magic byte 0, the 4-byte big-endian schema id, then the Avro binary encoding. A drop-in for Confluent's
 * {@code KafkaAvroSerializer} configured with the same keys ({@link AvroWireConfig}); the subject is {@code
 * <topic>-value} (or {@code -key}).
 *
 * <p>The schema is registered (or, with {@code auto.register.schemas=false}, looked up) without Java-specific
 * properties, once per subject and schema; afterwards serializing makes no registry call. Thread-safe: a producer
 * may serialize from many threads.
 */
public class AvroWireSerializer implements Serializer<Object> {

    static {
        AvroSchemas.trustGeneratedClasses();
    }

    private static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
    private static final Schema INT = Schema.create(Schema.Type.INT);
    private static final Schema LONG = Schema.create(Schema.Type.LONG);
    private static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
    private static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema BYTES = Schema.create(Schema.Type.BYTES);
    /** Buffers that grew beyond this (a rare huge record) are not kept for the thread's next record. */
    private static final int MAX_RETAINED_BUFFER = 1 << 20;

    private static final ThreadLocal<Encoding> ENCODING = ThreadLocal.withInitial(Encoding::new);

    private final Map<Target, Writer> writers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean autoRegister = true;
    private boolean isKey;

    /** Kafka instantiates the serializer by class name and then calls {@link #configure}. */
    public AvroWireSerializer() {
    }

    /** A serializer of values on {@code registry}, registering schemas automatically; {@link #configure} is optional. */
    public AvroWireSerializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /**
     * Reads {@link AvroWireConfig}'s keys. A registry given to the constructor is kept; otherwise {@code
     * schema.registry.url} is required.
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (registry == null) {
            AvroWireConfig config = AvroWireConfig.from(configs);
            registry = config.client();
            autoRegister = config.autoRegisterSchemas();
        } else if (configs.containsKey(AvroWireConfig.AUTO_REGISTER_SCHEMAS)) {
            autoRegister = Boolean.parseBoolean(configs.get(AvroWireConfig.AUTO_REGISTER_SCHEMAS).toString());
        }
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroWireSerializer is not configured: no schema registry");
        }
        Target target = new Target(topic, schemaOf(data), data instanceof SpecificRecord);
        Writer writer = writers.get(target);
        if (writer == null) {
            writer = writers.computeIfAbsent(target, this::newWriter);
        }
        return writer.write(data instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : data);
    }

    private Writer newWriter(Target target) {
        String subject = WireFormat.subject(target.topic(), isKey);
        Schema registered = AvroSchemas.withoutJavaProperties(target.schema());
        int id;
        if (autoRegister) {
            id = registry.register(subject, registered);
        } else {
            try {
                id = registry.lookup(subject, registered);
            } catch (SchemaRegistryException e) {
                throw new SchemaRegistryException(e.status(), e.errorCode(), "Schema " + target.schema().getFullName()
                        + " is not registered under subject '" + subject + "' and "
                        + AvroWireConfig.AUTO_REGISTER_SCHEMAS + "=false: " + e.getMessage());
            }
        }
        DatumWriter<Object> datumWriter = target.specific()
                ? new SpecificDatumWriter<>(target.schema(),
                        withCustomCoders(SpecificData.getForSchema(target.schema())))
                : new GenericDatumWriter<>(target.schema(), GenericData.get());
        return new Writer(id, datumWriter);
    }

    /**
     * A copy of a generated class's model (which carries its logical-type conversions, e.g. Instant for
     * timestamp-millis) that writes every nested generated record that has them with its generated {@code
     * customEncode}: the same bytes as Avro's generic walk over the record (Avro's specification of both), without
     * looking up each field's schema and resolving each union by name. Avro leaves these coders off by default
     * ({@code org.apache.avro.specific.use_custom_coders}); a record whose schema has a logical type has none and is
     * walked as before. A copy, so that the class's own model, which other readers and writers share, is unchanged.
     */
    private static SpecificData withCustomCoders(SpecificData classModel) {
        SpecificData model = new SpecificData(classModel.getClassLoader());
        classModel.getConversions().forEach(model::addLogicalTypeConversion);
        model.setCustomCoders(true);
        return model;
    }

    private static Schema schemaOf(Object data) {
        if (data instanceof GenericContainer container) {
            return container.getSchema();
        }
        if (data instanceof CharSequence) {
            return STRING;
        }
        if (data instanceof Integer) {
            return INT;
        }
        if (data instanceof Long) {
            return LONG;
        }
        if (data instanceof Boolean) {
            return BOOLEAN;
        }
        if (data instanceof Double) {
            return DOUBLE;
        }
        if (data instanceof Float) {
            return FLOAT;
        }
        if (data instanceof byte[] || data instanceof ByteBuffer) {
            return BYTES;
        }
        throw new SerializationException("Unsupported Avro type " + data.getClass().getName()
                + ": expected a generated Avro class, a GenericRecord or an Avro primitive");
    }

    private record Target(String topic, Schema schema, boolean specific) {
    }

    private record Writer(int id, DatumWriter<Object> datumWriter) {

        byte[] write(Object data) {
            Encoding encoding = ENCODING.get();
            GrowableOutput out = encoding.out;
            out.reset();
            out.write(WireFormat.MAGIC_BYTE);
            out.writeInt(id);
            try {
                encoding.encoder = EncoderFactory.get().binaryEncoder(out, encoding.encoder);
                datumWriter.write(data, encoding.encoder);
                encoding.encoder.flush();
                return out.toByteArray();
            } catch (IOException | RuntimeException e) {
                // The encoder still buffers what it wrote before failing, and would flush it into the next record.
                ENCODING.remove();
                throw new SerializationException("Error serializing Avro message with schema id " + id, e);
            } finally {
                if (out.capacity() > MAX_RETAINED_BUFFER) {
                    ENCODING.remove();
                }
            }
        }
    }

    /** One thread's reusable buffer and encoder: a record costs one allocation, its result. */
    private static final class Encoding {
        final GrowableOutput out = new GrowableOutput(1024);
        BinaryEncoder encoder;
    }
}
