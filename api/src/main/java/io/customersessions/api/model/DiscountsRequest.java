package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.customersessions.api.http.StrictJsonBody;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Body of our extension {@code PUT /v2/customer_sessions/{id}/discounts}: the labelled discount values a promotion
 * engine granted, {@code {"discounts": {"10% off shoes": 8.99}}}. Replaces the session's discounts; {@code {}}
 * clears them.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record DiscountsRequest(Map<String, BigDecimal> discounts, List<String> responseContent)
        implements StrictJsonBody {
}
