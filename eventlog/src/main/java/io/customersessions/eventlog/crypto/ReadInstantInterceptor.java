package io.customersessions.eventlog.crypto;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * Records, for {@link ReadInstants}, when the polling thread received records. Put it on a consumer ({@code
 * interceptor.classes}; for Kafka Streams {@code main.consumer.interceptor.classes}) whose records are read through
 * {@link UnsealingEventDeserializer} on the polling thread. Changes no record. Not for the key topic's own consumer:
 * its polls would make the instant later than needed (still safe, but the catch-ups it saves would happen again).
 */
public final class ReadInstantInterceptor implements ConsumerInterceptor<Object, Object> {

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        ReadInstants.recordPoll();
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
