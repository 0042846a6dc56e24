package io.customersessions.api.model;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Body of {@code PUT /v2/customer_sessions/{customerSessionId}}. {@code responseContent} names the parts
 * of {@link IntegrationStateV2} the client wants; null or empty means the default ({@code customerSession}).
 */
@Serdeable
public record IntegrationRequestV2(NewCustomerSessionV2 customerSession, List<String> responseContent) {
}
