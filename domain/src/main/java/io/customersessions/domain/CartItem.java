package io.customersessions.domain;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.SortedMap;

/**
 * One cart line. {@code price} is the unit price (null means unknown and counts as zero); item
 * {@code additionalCosts} are per unit. Attribute values are canonical JSON text. Maps are sorted so that
 * serialisation is byte-for-byte deterministic.
 */
public record CartItem(
        String name,
        String sku,
        int quantity,
        int returnedQuantity,
        BigDecimal price,
        String category,
        String productName,
        BigDecimal weight,
        BigDecimal height,
        BigDecimal width,
        BigDecimal length,
        SortedMap<String, String> attributes,
        SortedMap<String, BigDecimal> additionalCosts) {

    public CartItem {
        attributes = Collections2.sortedCopy(attributes);
        additionalCosts = Collections2.sortedCopy(additionalCosts);
    }

    /** A new line as a client sends it: nothing returned yet. */
    public static CartItem of(String sku, int quantity, BigDecimal price) {
        return new CartItem(null, sku, quantity, 0, price, null, null, null, null, null, null, null, null);
    }

    public int remainingQuantity() {
        return quantity - returnedQuantity;
    }

    public CartItem withReturned(int returned) {
        return new CartItem(name, sku, quantity, returned, price, category, productName, weight, height, width,
                length, attributes, additionalCosts);
    }

    /**
     * Whether {@code other} is the same line as sold: returned units aside (a client resends what it sold, not
     * what came back), and decimals compared as amounts, so that {@code 12.990} is the same price as {@code 12.99}.
     */
    public boolean sameSaleAs(CartItem other) {
        return quantity == other.quantity
                && Objects.equals(name, other.name) && Objects.equals(sku, other.sku)
                && Objects.equals(category, other.category) && Objects.equals(productName, other.productName)
                && Decimals.sameAmount(price, other.price) && Decimals.sameAmount(weight, other.weight)
                && Decimals.sameAmount(height, other.height) && Decimals.sameAmount(width, other.width)
                && Decimals.sameAmount(length, other.length) && attributes.equals(other.attributes)
                && Decimals.sameAmounts(additionalCosts, other.additionalCosts);
    }

    /** price × remaining quantity; an unknown price counts as zero. */
    public BigDecimal lineTotal() {
        return price == null ? BigDecimal.ZERO : price.multiply(BigDecimal.valueOf(remainingQuantity()));
    }

    /** Σ per-unit additional costs × remaining quantity. */
    public BigDecimal additionalCostTotal() {
        if (additionalCosts.isEmpty()) {
            return BigDecimal.ZERO; // what the product below is then, scale included
        }
        return CustomerSession.sum(additionalCosts.values()).multiply(BigDecimal.valueOf(remainingQuantity()));
    }
}
