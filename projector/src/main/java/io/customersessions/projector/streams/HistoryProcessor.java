package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.PersonalData;
import io.customersessions.domain.SessionDecider;
import io.customersessions.domain.SessionEvent;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.views.StoreKeys;
import io.customersessions.projector.views.StoredEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the history of every session from the event log topic itself (read committed), so the history holds exactly
 * what the log says: each event is stored with its partition and offset and the state after it, folded with the
 * domain's {@link SessionDecider#evolve} from the previous event's state ({@code session-history-heads}). The
 * stores are this processor's alone; they are written in the same transaction as the consumed event offset.
 *
 * <p>A {@code SessionRedacted} event rewrites every earlier entry of its session with the event's personal fields
 * and the state after it redacted ({@link PersonalData}), so history, as-of and the export never show them again;
 * the history store's changelog is compacted, so the overwritten values leave it too. As redaction commutes with
 * the fold, an as-of read of the rewritten entries gives exactly the redacted session of that time.
 */
final class HistoryProcessor implements Processor<String, io.customersessions.avro.SessionEvent, Void, Void> {

    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, CustomerSessionState> heads;
    private KeyValueStore<String, StoredEvent> history;
    private KeyValueStore<String, String> byTime;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.heads = context.getStateStore(Topics.SESSION_HISTORY_HEADS_STORE);
        this.history = context.getStateStore(Topics.SESSION_HISTORY_STORE);
        this.byTime = context.getStateStore(Topics.EVENTS_BY_TIME_STORE);
    }

    @Override
    public void process(Record<String, io.customersessions.avro.SessionEvent> record) {
        IdleCommit.busy();
        if (record.value() == null) {
            return;
        }
        SessionEvent event = AvroCodec.fromAvro(record.value());
        String sessionKey = event.meta().key().asString();
        Optional<CustomerSession> before = Optional.ofNullable(heads.get(sessionKey)).map(AvroCodec::fromAvro);
        CustomerSession after = SessionDecider.evolve(before, event);
        heads.put(sessionKey, AvroCodec.toAvro(after));

        RecordMetadata position = context.recordMetadata().orElseThrow();
        long app = after.key().applicationId();
        String integrationId = after.key().integrationId();
        if (event instanceof SessionEvent.SessionRedacted) {
            redactHistory(app, integrationId);
        }
        String historyKey = StoreKeys.history(app, integrationId, after.updateCount());
        history.put(historyKey, new StoredEvent(record.value(), position.partition(), position.offset(),
                StoredEvent.StateAfter.of(after)));
        byTime.put(StoreKeys.eventByTime(app, event.meta().time(), integrationId, after.updateCount()), historyKey);
    }

    /**
     * Rewrites each of the session's stored events without personal data. The keys are gathered first (the store
     * is not written while it is scanned), then each entry is read, rewritten and let go in turn: a session with
     * thousands of events, each up to a session's size, never has them all on the heap at once.
     */
    private void redactHistory(long applicationId, String integrationId) {
        StoreKeys.Range range = StoreKeys.sessionHistory(applicationId, integrationId);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, StoredEvent> all = history.range(range.from(), range.to())) {
            while (all.hasNext()) {
                keys.add(all.peekNextKey());
                all.next();
            }
        }
        for (String key : keys) {
            StoredEvent stored = history.get(key);
            SessionEvent redacted = PersonalData.redact(AvroCodec.fromAvro(stored.event()));
            StoredEvent.StateAfter after = stored.after();
            history.put(key, new StoredEvent(AvroCodec.toAvro(redacted), stored.partition(), stored.offset(),
                    new StoredEvent.StateAfter(after.updateCount(), after.state(), "", after.cartItemTotal(),
                            after.additionalCostTotal(), after.total())));
        }
    }
}
