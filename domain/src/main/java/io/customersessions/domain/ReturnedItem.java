package io.customersessions.domain;

/**
 * {@code quantity} units returned from the cart item at {@code position} (0-based). In a command a null quantity
 * returns the item in its entirety, every unit that remains (Talon.One's {@code ReturnedCartItem.quantity} is
 * optional); the decider resolves it, so an event always names its units.
 */
public record ReturnedItem(int position, Integer quantity) {

    /** The whole cart item at {@code position}: every unit that remains when the return is decided. */
    public static ReturnedItem entire(int position) {
        return new ReturnedItem(position, null);
    }
}
