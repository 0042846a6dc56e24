package io.customersessions.api;

import java.util.List;

/**
 * The parts of {@code IntegrationStateV2} a client can ask for in {@code responseContent}. An absent or
 * empty list asks for the default parts. To serve another part, add it here and a field to
 * {@code IntegrationStateV2}. Names we do not serve (Talon.One's {@code triggeredCampaigns}, {@code loyalty}, …)
 * are ignored, as their parts would be empty.
 */
public enum ResponseContent {
    CUSTOMER_SESSION("customerSession", true),
    CUSTOMER_PROFILE("customerProfile", false);

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
