package io.customersessions.eventlog.serde;

/** Confluent's wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), then Avro binary. */
final class WireFormat {

    static final byte MAGIC_BYTE = 0x0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Subject of Confluent's TopicNameStrategy. */
    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
