package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;

/** Talon.One's {@code AdditionalCost}: the value of a map entry such as {@code "shipping": {"price": 4.95}}. */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdditionalCost(BigDecimal price) {
}
