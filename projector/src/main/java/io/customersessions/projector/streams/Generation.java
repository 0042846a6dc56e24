package io.customersessions.projector.streams;

import java.util.List;
import java.util.Locale;

/**
 * What this projector is: the single writer ({@link Role#PROCESSOR}) or a read-only generation of the views
 * ({@link Role#VIEWS}), the Kafka Streams {@code application.id} it runs as, and the topics it consumes (whose lag
 * says whether it has caught up with the log).
 */
public record Generation(Role role, String applicationId, List<String> sourceTopics) {

    public Generation {
        sourceTopics = List.copyOf(sourceTopics);
    }

    public enum Role {
        /**
         * Decides commands (the one writer of every session) and serves the views it keeps in the same
         * transactions. Exactly one processor generation may run against a log: a second one would decide the
         * commands again and append their events twice.
         */
        PROCESSOR,
        /**
         * Writes nothing to the log: folds the event log from its beginning into the read stores, under an
         * application id of its own. Any number can run beside the processor; this is how the projection is
         * rebuilt without downtime.
         */
        VIEWS;

        /** {@code processor} or {@code views}, in any case. */
        public static Role parse(String text) {
            String name = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
            for (Role role : values()) {
                if (role.name().equals(name)) {
                    return role;
                }
            }
            throw new IllegalArgumentException("customer-sessions.projector.role must be 'processor' or 'views', not '"
                    + text + "'");
        }

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
