package io.customersessions.api;

import java.util.List;

/**
 * The parts of {@code IntegrationStateV2} a client can ask for in {@code responseContent}. An absent or
 * empty list asks for the default parts. To serve another part (e.g. {@code customerProfile}), add it here
 * and a field to {@code IntegrationStateV2}.
 */
public enum ResponseContent {
    CUSTOMER_SESSION("customerSession", true);

    private final String wireName;
    private final boolean byDefault;

    ResponseContent(String wireName, boolean byDefault) {
        this.wireName = wireName;
        this.byDefault = byDefault;
    }

    public String wireName() {
        return wireName;
    }

    public boolean requestedBy(List<String> responseContent) {
        return responseContent == null || responseContent.isEmpty()
                ? byDefault
                : responseContent.contains(wireName);
    }
}
