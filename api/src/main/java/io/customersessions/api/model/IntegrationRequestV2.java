package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.customersessions.api.http.StrictJsonBody;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Body of {@code PUT /v2/customer_sessions/{customerSessionId}}. {@code responseContent} names the parts
 * of {@link IntegrationStateV2} the client wants; null or empty means the default ({@code customerSession}).
 * Request records ignore fields they do not model, whatever {@code micronaut.serde.deserialization.ignore-unknown}
 * says: newer Talon.One SDKs send fields we have no use for, and clients echo read-only fields they read.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record IntegrationRequestV2(NewCustomerSessionV2 customerSession, List<String> responseContent)
        implements StrictJsonBody {
}
