/**
 * Confluent-wire-format Avro serde and schema-registry clients.
 *
 * <p>{@link io.customersessions.eventlog.serde.AvroWireSerializer} and
 * {@link io.customersessions.eventlog.serde.AvroWireDeserializer} write and read the bytes Confluent's {@code
 * KafkaAvroSerializer} / {@code KafkaAvroDeserializer} do, from the same configuration keys (see
 * {@link io.customersessions.eventlog.serde.AvroWireConfig}), so either pair can be chosen by class name.
 * {@link io.customersessions.eventlog.serde.AvroSerdes} builds typed Streams serdes from them.
 */
package io.customersessions.eventlog.serde;
