package io.customersessions.api.auth;

import java.util.Set;

/**
 * Who is calling, as established by the authentication filter from the {@code Authorization} header and stored
 * in the request attribute {@link #ATTRIBUTE}. Controllers take it with {@code @RequestAttribute(Caller.ATTRIBUTE)}.
 */
public sealed interface Caller {

    String ATTRIBUTE = "customer-sessions.caller";

    /** {@code ApiKey-v1 <key>}: an Integration API key; it belongs to exactly one application. */
    record Integration(long applicationId) implements Caller {
    }

    /** {@code ManagementKey-v1 <key>} or {@code Bearer <token>}: may read the listed applications. */
    record Management(Set<Long> applicationIds) implements Caller {
        public Management {
            applicationIds = Set.copyOf(applicationIds);
        }

        public boolean mayRead(long applicationId) {
            return applicationIds.contains(applicationId);
        }
    }
}
