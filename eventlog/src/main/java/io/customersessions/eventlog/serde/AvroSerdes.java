package io.customersessions.eventlog.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Typed Kafka Streams serdes over a Confluent-wire-format serializer and deserializer chosen by class name, so
 * Confluent's {@value #CONFLUENT_SERIALIZER} / {@value #CONFLUENT_DESERIALIZER} replace ours by configuration alone.
 *
 * <p>The configuration map takes {@link AvroWireConfig}'s keys ({@code schema.registry.url}, {@code
 * auto.register.schemas}, {@code specific.avro.reader}, {@code basic.auth.*}); both classes receive the same map.
 */
public final class AvroSerdes {

    public static final String SERIALIZER = AvroWireSerializer.class.getName();
    public static final String DESERIALIZER = AvroWireDeserializer.class.getName();
    public static final String CONFLUENT_SERIALIZER = "io.confluent.kafka.serializers.KafkaAvroSerializer";
    public static final String CONFLUENT_DESERIALIZER = "io.confluent.kafka.serializers.KafkaAvroDeserializer";

    private AvroSerdes() {
    }

    /**
     * A serde over the named classes, configured with {@code config} as given. For a typed serde of generated classes
     * the map must say {@code specific.avro.reader=true} (see {@link #specific}).
     *
     * @throws KafkaException if a class cannot be loaded or instantiated, or is not a serializer / deserializer
     */
    @SuppressWarnings("unchecked")
    public static <T> Serde<T> serde(String serializerClass, String deserializerClass, Map<String, ?> config,
            boolean isKey) {
        Serializer<T> serializer = instantiate(serializerClass, Serializer.class);
        Deserializer<T> deserializer = instantiate(deserializerClass, Deserializer.class);
        serializer.configure(config, isKey);
        deserializer.configure(config, isKey);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /**
     * A serde of generated classes over the named classes, like Confluent's {@code SpecificAvroSerde}: {@code
     * specific.avro.reader} is forced to true.
     */
    public static <T> Serde<T> specific(String serializerClass, String deserializerClass, Map<String, ?> config,
            boolean isKey) {
        Map<String, Object> specific = new HashMap<>(config);
        specific.put(AvroWireConfig.SPECIFIC_AVRO_READER, true);
        return serde(serializerClass, deserializerClass, specific, isKey);
    }

    /** Our value serde of generated classes: {@link AvroWireSerializer} and {@link AvroWireDeserializer}, specific. */
    public static <T> Serde<T> ours(Map<String, ?> config) {
        return specific(SERIALIZER, DESERIALIZER, config, false);
    }

    private static <T> T instantiate(String className, Class<T> type) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> cls = Class.forName(className, true, loader != null ? loader : AvroSerdes.class.getClassLoader());
            if (!type.isAssignableFrom(cls)) {
                throw new KafkaException(className + " is not a " + type.getName());
            }
            return type.cast(cls.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new KafkaException("Cannot instantiate " + type.getSimpleName() + " " + className, e);
        }
    }
}
