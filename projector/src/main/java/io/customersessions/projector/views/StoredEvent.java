package io.customersessions.projector.views;

import io.customersessions.avro.SessionEvent;
import io.customersessions.domain.CustomerSession;

import java.math.BigDecimal;

/**
 * One entry of the {@code session-history} store: an event exactly as the log holds it, where it is in the log,
 * and a summary of the session after it (the fold of every earlier event of the session and this one).
 */
public record StoredEvent(SessionEvent event, int partition, long offset, StateAfter after) {

    /** What a history entry shows of the session after the event; {@code profileId} is "" when anonymous. */
    public record StateAfter(int updateCount, String state, String profileId, BigDecimal cartItemTotal,
                             BigDecimal additionalCostTotal, BigDecimal total) {

        public static StateAfter of(CustomerSession session) {
            CustomerSession.Totals totals = session.totals();
            return new StateAfter(session.updateCount(), session.state().wireName(), session.profileId(),
                    totals.cartItemTotal(), totals.additionalCostTotal(), totals.total());
        }
    }
}
