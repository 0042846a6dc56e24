package io.customersessions.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.serde.annotation.Serdeable;

/** Talon.One's {@code Product} of a cart item: only its name. */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = true)
public record Product(String name) {
}
