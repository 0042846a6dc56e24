package io.customersessions.domain;

/** {@code quantity} units returned from the cart item at {@code position} (0-based). */
public record ReturnedItem(int position, int quantity) {
}
