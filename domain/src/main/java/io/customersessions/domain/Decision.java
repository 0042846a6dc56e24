package io.customersessions.domain;

import java.util.List;

/** The outcome of {@link SessionDecider#decide}: the events to append, or a rejection (nothing appended). */
public sealed interface Decision {

    record Accepted(List<SessionEvent> events) implements Decision {
        public Accepted {
            if (events == null || events.isEmpty()) {
                throw new IllegalArgumentException("an accepted command yields at least one event");
            }
            events = List.copyOf(events);
        }
    }

    record Rejected(Rejection rejection) implements Decision {
    }
}
