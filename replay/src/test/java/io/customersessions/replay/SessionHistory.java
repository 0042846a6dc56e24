package io.customersessions.replay;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionDecider;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionEvent.EventMeta;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.codec.AvroCodec;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The events of one test session, one minute apart from {@link #START}, and the states a correct projector writes for
 * them: a shared fixture builder for the verifier's tests.
 */
final class SessionHistory {

    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private final SessionKey key;
    private final List<SessionEvent> events = new ArrayList<>();

    private SessionHistory(String integrationId) {
        this.key = new SessionKey(1, integrationId);
    }

    /** Created open with two socks at 12.50 and shipping 4.95, then updated (a coupon), then closed. */
    static SessionHistory checkout(String integrationId) {
        return new SessionHistory(integrationId)
                .created(SessionChanges.NONE.withProfileId("customer-" + integrationId)
                        .withCartItems(List.of(CartItem.of("SOCK", 2, new BigDecimal("12.50"))))
                        .withAdditionalCosts(new TreeMap<>(Map.of("shipping", new BigDecimal("4.95"))))
                        .withAttributes(new TreeMap<>(Map.of("city", "Berlin"))))
                .updated(SessionChanges.NONE.withCouponCodes(List.of("WELCOME10")))
                .closed();
    }

    static SessionHistory created(String integrationId) {
        return new SessionHistory(integrationId).created(SessionChanges.NONE);
    }

    SessionHistory created(SessionChanges changes) {
        events.add(new SessionEvent.SessionCreated(meta(), 1000 + events.size(), SessionState.OPEN, changes));
        return this;
    }

    SessionHistory updated(SessionChanges changes) {
        events.add(new SessionEvent.SessionUpdated(meta(), changes));
        return this;
    }

    /** The customer's data erased (the log keeps the earlier events as they were). */
    SessionHistory redacted() {
        events.add(new SessionEvent.SessionRedacted(meta(), "integration-api-key:0123456789ab"));
        return this;
    }

    SessionHistory closed() {
        events.add(new SessionEvent.SessionClosed(meta(), SessionChanges.NONE));
        return this;
    }

    String key() {
        return key.asString();
    }

    int size() {
        return events.size();
    }

    /** The n-th event (1-based: the one that makes updateCount n), as the log holds it. */
    io.customersessions.avro.SessionEvent event(int n) {
        return AvroCodec.toAvro(events.get(n - 1));
    }

    /** The time of the n-th event. */
    Instant time(int n) {
        return events.get(n - 1).meta().time();
    }

    /** What a correct projector wrote after the first {@code updateCount} events. */
    CustomerSessionState stateAfter(int updateCount) {
        Optional<CustomerSession> state = Optional.empty();
        for (SessionEvent event : events.subList(0, updateCount)) {
            state = Optional.of(SessionDecider.evolve(state, event));
        }
        return AvroCodec.toAvro(state.orElseThrow());
    }

    CustomerSessionState finalState() {
        return stateAfter(events.size());
    }

    /** Folds events {@code from..to} (1-based, inclusive) into {@code verifier}, settled or recent. */
    void feed(Verifier verifier, int from, int to, boolean recent) {
        for (int n = from; n <= to; n++) {
            verifier.fold(key(), event(n), recent);
        }
    }

    void feedAll(Verifier verifier) {
        feed(verifier, 1, events.size(), false);
    }

    private EventMeta meta() {
        String commandId = key.integrationId() + "-command-" + (events.size() + 1);
        return new EventMeta(commandId + "/0", commandId, key, START.plus(Duration.ofMinutes(events.size())));
    }
}
