package io.customersessions.projector.streams;

import io.customersessions.eventlog.Topics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Fills the global profile store: the first claim of a profile in topic order wins, later claims (made
 * concurrently on other partitions before the first reached them) are ignored, so every instance agrees. A
 * tombstone (the erasure of the claiming session's personal data, which erases every session of the profile)
 * removes the profile: a later session of it is a first session again.
 */
final class FirstWriterWinsProcessor implements Processor<String, String, Void, Void> {

    private KeyValueStore<String, String> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(Topics.PROFILE_FIRST_SESSIONS_STORE);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.putIfAbsent(record.key(), record.value());
        }
    }
}
