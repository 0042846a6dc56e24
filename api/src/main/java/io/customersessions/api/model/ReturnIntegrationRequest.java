package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.customersessions.api.http.StrictJsonBody;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.util.List;

/**
 * Body of {@code POST /v2/customer_sessions/{id}/returns}:
 * {@code {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}, "responseContent": [...]}}.
 * Numbers are read as decimals so that a fraction is reported rather than truncated.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReturnIntegrationRequest(@JsonProperty("return") Return returnRequest, List<String> responseContent)
        implements StrictJsonBody {

    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Return(List<ReturnedCartItem> returnedCartItems) {
    }

    /**
     * {@code position}: 0-based index into the session's cart; {@code quantity}: units returned, or absent to return
     * the item in its entirety (every unit that remains), as Talon.One does.
     */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReturnedCartItem(BigDecimal position, BigDecimal quantity) {
    }
}
