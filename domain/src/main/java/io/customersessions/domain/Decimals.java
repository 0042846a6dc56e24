package io.customersessions.domain;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * Bounds on the decimals a session holds (money, measures, discounts), and a safe way to show a client's number.
 *
 * <p>Decimals are written to the log as plain text ("12.50"), so a bound on their digits is a bound on their size:
 * a JSON number as short as {@code 1e999999999} would otherwise become a billion-character string, in the request's
 * error message as much as in the log.
 */
public final class Decimals {

    /** Digits before the decimal point: up to 10^20 − 1, more than any price or measure. */
    public static final int MAX_INTEGER_DIGITS = 20;
    /**
     * Digits after the decimal point, trailing zeros included: every digit given is kept, and carried into the
     * totals, so {@code 0E-390000} (a zero with 390 000 of them, seven characters of JSON) would make each total
     * 390 000 characters long.
     */
    public static final int MAX_FRACTION_DIGITS = 30;
    private static final int PLAIN_TEXT_LIMIT = 40;

    private Decimals() {
    }

    /** Whether {@code value} has at most {@value #MAX_INTEGER_DIGITS} + {@value #MAX_FRACTION_DIGITS} digits. */
    public static boolean fits(BigDecimal value) {
        if (value.scale() > MAX_FRACTION_DIGITS) {
            return false;
        }
        long integerDigits = (long) value.precision() - value.scale();
        return value.signum() == 0 || integerDigits <= MAX_INTEGER_DIGITS;
    }

    /** What a message may show of a client's number: plain text when short, else scientific ({@code 1E+999999999}). */
    public static String text(BigDecimal value) {
        long integerDigits = (long) value.precision() - value.scale();
        boolean shortPlain = Math.abs((long) value.scale()) <= PLAIN_TEXT_LIMIT && integerDigits <= PLAIN_TEXT_LIMIT;
        return shortPlain ? value.toPlainString() : value.toString();
    }

    /** Whether two optional numbers are the same amount: {@code 12.99} and {@code 12.990} are, unlike for equals. */
    public static boolean sameAmount(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    /** Whether two sets of named amounts (costs) hold the same names with the {@link #sameAmount same amounts}. */
    public static boolean sameAmounts(SortedMap<String, BigDecimal> a, SortedMap<String, BigDecimal> b) {
        if (a == null || b == null || a.size() != b.size()) {
            return Objects.equals(a, b);
        }
        for (Map.Entry<String, BigDecimal> entry : a.entrySet()) {
            if (!b.containsKey(entry.getKey()) || !sameAmount(entry.getValue(), b.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The violation's details for a decimal that does not {@link #fits fit}. */
    static String outOfRange(String what, BigDecimal value) {
        return what + " must have at most " + MAX_INTEGER_DIGITS + " digits before the decimal point and "
                + MAX_FRACTION_DIGITS + " after; got " + text(value);
    }
}
