package io.customersessions.eventlog.serde;

import org.apache.avro.Schema;

/**
 * The three schema-registry operations an Avro serde needs, with Confluent's semantics. Implementations cache
 * every answer: ids and schemas never change once assigned.
 *
 * <p>Failures are {@link SchemaRegistryException}s (a Kafka {@code SerializationException}), so a producer or a
 * Streams task reports them like any other serialization error.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (a new version unless the subject already holds it) and returns
     * its global id. The same schema registered under any subject has the same id.
     */
    int register(String subject, Schema schema);

    /** The id of {@code schema} if {@code subject} already holds it; a {@link SchemaRegistryException} otherwise. */
    int lookup(String subject, Schema schema);

    /** The schema with the global id {@code id}; a {@link SchemaRegistryException} if there is none. */
    Schema byId(int id);
}
