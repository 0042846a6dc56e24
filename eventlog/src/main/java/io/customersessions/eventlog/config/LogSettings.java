package io.customersessions.eventlog.config;

import io.customersessions.eventlog.Topics;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the log lives and how its records are (de)serialised. {@code serde.serializer}/{@code serde.deserializer}
 * name Kafka serializer classes, so Confluent's {@code KafkaAvroSerializer}/{@code KafkaAvroDeserializer} can
 * replace ours by configuration alone; every entry of {@code serde.properties} is passed to them.
 */
@ConfigurationProperties("customer-sessions")
public class LogSettings {

    private String topicPrefix = "";
    private int partitions = 6;
    private short replicationFactor = 1;
    private final Serde serde;
    private final SchemaRegistry schemaRegistry;

    /** The nested settings are beans of their own; Micronaut binds them and hands them in here. */
    public LogSettings(Serde serde, SchemaRegistry schemaRegistry) {
        this.serde = serde;
        this.schemaRegistry = schemaRegistry;
    }

    public Topics topics() {
        return Topics.defaults().withPrefix(topicPrefix);
    }

    /** The configuration handed to every serializer/deserializer. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>(serde.properties);
        config.put("schema.registry.url", schemaRegistry.url);
        config.putIfAbsent("specific.avro.reader", "true");
        return config;
    }

    public String getTopicPrefix() {
        return topicPrefix;
    }

    public void setTopicPrefix(String topicPrefix) {
        this.topicPrefix = topicPrefix == null ? "" : topicPrefix;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public Serde getSerde() {
        return serde;
    }

    public SchemaRegistry getSchemaRegistry() {
        return schemaRegistry;
    }

    @ConfigurationProperties("serde")
    public static class Serde {
        private String serializer = "io.customersessions.eventlog.serde.AvroWireSerializer";
        private String deserializer = "io.customersessions.eventlog.serde.AvroWireDeserializer";
        private Map<String, String> properties = new HashMap<>();

        public String getSerializer() {
            return serializer;
        }

        public void setSerializer(String serializer) {
            this.serializer = serializer;
        }

        public String getDeserializer() {
            return deserializer;
        }

        public void setDeserializer(String deserializer) {
            this.deserializer = deserializer;
        }

        public Map<String, String> getProperties() {
            return properties;
        }

        /** Kafka-style dotted keys ({@code auto.register.schemas}) stay flat, as the serializers expect them. */
        public void setProperties(@MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, String> properties) {
            this.properties = properties;
        }
    }

    @ConfigurationProperties("schema-registry")
    public static class SchemaRegistry {
        private String url = "http://localhost:8085";

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }
    }
}
