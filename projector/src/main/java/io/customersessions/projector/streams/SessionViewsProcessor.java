package io.customersessions.projector.streams;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionDecider;
import io.customersessions.domain.SessionEvent;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Optional;

/**
 * The views role's session store and listing views, folded from the event log with the domain's
 * {@link SessionDecider#evolve} (the fold the processor runs after deciding): each event moves the session from the
 * stored state to the next one and its listing entries with it ({@link ListingViews}), exactly as the processor
 * does when it accepts the command behind the event. So a views generation that has read the log up to an event
 * holds, byte for byte, what the processor's stores held after that event. Decides nothing and writes no topic.
 * Views new to a generation that already holds sessions (an upgrade in place) are built from its session store, as
 * the processor does.
 */
final class SessionViewsProcessor implements Processor<String, io.customersessions.avro.SessionEvent, Void, Void> {

    private KeyValueStore<String, CustomerSessionState> sessions;
    private ListingViews views;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.sessions = context.getStateStore(Topics.SESSION_STORE);
        this.views = new ListingViews(context);
        views.rebuildIfMissing(context, sessions);
    }

    @Override
    public void process(Record<String, io.customersessions.avro.SessionEvent> record) {
        if (record.value() == null) {
            return;
        }
        SessionEvent event = AvroCodec.fromAvro(record.value());
        String sessionKey = event.meta().key().asString();
        Optional<CustomerSession> before = Optional.ofNullable(sessions.get(sessionKey)).map(AvroCodec::fromAvro);
        CustomerSession after = SessionDecider.evolve(before, event);
        sessions.put(sessionKey, AvroCodec.toAvro(after));
        views.update(before, after, event instanceof SessionEvent.SessionRedacted);
    }
}
