package io.customersessions.api.model;

import io.micronaut.serde.annotation.Serdeable;

/** Talon.One's {@code Product} of a cart item: only its name. */
@Serdeable
public record Product(String name) {
}
