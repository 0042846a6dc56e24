package io.customersessions.domain;

import java.util.List;
import java.util.Optional;

import static io.customersessions.domain.Commands.item;
import static io.customersessions.domain.Commands.returned;
import static io.customersessions.domain.Commands.returnItems;
import static io.customersessions.domain.Commands.upsert;
import static org.assertj.core.api.Assertions.assertThat;

/** Test fixtures: sessions in every state, built only through decide + evolve so each one is reachable. */
final class Sessions {

    static final long SESSION_ID = 42;
    static final DecisionContext CONTEXT = DecisionContext.of(SESSION_ID);

    private Sessions() {
    }

    /** 2 × A at 10.00 and 3 × B at 0.10: cartItemTotal 20.30. */
    static List<CartItem> standardCart() {
        return List.of(item("A", 2, "10.00"), item("B", 3, "0.10"));
    }

    static CustomerSession open() {
        return given(upsert().profile("customer-1").cart(standardCart()).coupons("SUMMER").build());
    }

    static CustomerSession closed() {
        return given(open(), upsert().state(SessionState.CLOSED).build());
    }

    /** Closed, then one unit of A (position 0) returned. */
    static CustomerSession partiallyReturned() {
        return given(closed(), returnItems(returned(0, 1)));
    }

    static CustomerSession cancelled() {
        return given(open(), upsert().state(SessionState.CANCELLED).build());
    }

    /** Folds the commands from no session; each one must be accepted. */
    static CustomerSession given(SessionCommand... commands) {
        Optional<CustomerSession> state = Optional.empty();
        for (SessionCommand command : commands) {
            state = Optional.of(accept(state, command));
        }
        return state.orElseThrow();
    }

    /** Folds the commands onto an existing session; each one must be accepted. */
    static CustomerSession given(CustomerSession session, SessionCommand... commands) {
        CustomerSession state = session;
        for (SessionCommand command : commands) {
            state = accept(Optional.of(state), command);
        }
        return state;
    }

    static CustomerSession accept(Optional<CustomerSession> state, SessionCommand command) {
        return SessionDecider.evolve(state, event(SessionDecider.decide(state, command, CONTEXT)));
    }

    static Decision decide(CustomerSession state, SessionCommand command) {
        return SessionDecider.decide(Optional.of(state), command, CONTEXT);
    }

    static Decision decideNew(SessionCommand command) {
        return SessionDecider.decide(Optional.empty(), command, CONTEXT);
    }

    static SessionEvent event(Decision decision) {
        assertThat(decision).as("decision").isInstanceOf(Decision.Accepted.class);
        List<SessionEvent> events = ((Decision.Accepted) decision).events();
        assertThat(events).as("one event per accepted command").hasSize(1);
        return events.get(0);
    }

    static Rejection rejection(Decision decision) {
        assertThat(decision).as("decision").isInstanceOf(Decision.Rejected.class);
        return ((Decision.Rejected) decision).rejection();
    }

    static CustomerSession evolve(CustomerSession state, SessionEvent event) {
        return SessionDecider.evolve(Optional.of(state), event);
    }
}
