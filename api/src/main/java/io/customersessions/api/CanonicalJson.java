package io.customersessions.api;

import io.micronaut.json.tree.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Canonical JSON text of a {@link JsonNode}, the form in which attribute values are stored in commands,
 * events and state. Equal JSON values give the same text whatever their key order or number spelling:
 * object keys are sorted (by UTF-16 code units, recursively), there is no whitespace, strings use the
 * shortest escapes, and numbers are written by value ({@code 1}, {@code 1.0} and {@code 1e0} all become
 * {@code 1}; trailing fraction zeros are dropped; exponents only outside ±20 digits of the point).
 */
public final class CanonicalJson {

    private static final int PLAIN_SCALE_LIMIT = 20;
    private static final BigDecimal LARGEST_DOUBLE = new BigDecimal(Double.MAX_VALUE);
    /**
     * Arrays and objects nested in one attribute value, at most. Every answer that holds the session nests the value
     * a few levels deeper again, and Micronaut's JSON writer fails on deep values (seen: a session attribute 64
     * levels deep failed to render, 62 did not): such a value, once accepted, turned every read of its session, and
     * every listing and export that included it, into a 500.
     */
    public static final int MAX_DEPTH = 32;

    private CanonicalJson() {
    }

    /**
     * Why {@code node} cannot be stored as an attribute value, or empty when it can: it nests deeper than {@link
     * #MAX_DEPTH}, or holds a number beyond a finite double's range (such as {@code 1e309}, or an integer of 310
     * digits).
     */
    public static Optional<String> unstorable(JsonNode node) {
        return unstorable(node, 0);
    }

    private static Optional<String> unstorable(JsonNode node, int depth) {
        if (node.isArray() || node.isObject()) {
            if (depth == MAX_DEPTH) {
                return Optional.of("arrays and objects may nest at most " + MAX_DEPTH + " levels in an attribute");
            }
            for (JsonNode value : node.values()) {
                Optional<String> problem = unstorable(value, depth + 1);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        } else if (node.isNumber() && !finite(node.getNumberValue())) {
            return Optional.of("a number in an attribute must be within ±1.7976931348623157E308");
        }
        return Optional.empty();
    }

    /**
     * Whether {@code number} is a finite double's value: the parser reads an integer literal of any length as a
     * {@link BigInteger}, which the answers would render as {@code "Infinity"} beyond a double's range.
     */
    private static boolean finite(Number number) {
        if (number instanceof BigInteger || number instanceof BigDecimal) {
            BigDecimal exact = number instanceof BigInteger big ? new BigDecimal(big) : (BigDecimal) number;
            return exact.abs().compareTo(LARGEST_DOUBLE) <= 0;
        }
        return !(number instanceof Double d && (d.isInfinite() || d.isNaN()))
                && !(number instanceof Float f && (f.isInfinite() || f.isNaN()));
    }

    public static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull()) {
            out.append("null");
        } else if (node.isBoolean()) {
            out.append(node.getBooleanValue());
        } else if (node.isNumber()) {
            out.append(number(node.getNumberValue()));
        } else if (node.isString()) {
            string(node.getStringValue(), out);
        } else if (node.isArray()) {
            out.append('[');
            boolean first = true;
            for (JsonNode value : node.values()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(value, out);
            }
            out.append(']');
        } else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            node.entries().forEach(entries::add);
            entries.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(entries.get(i).getKey(), out);
                out.append(':');
                write(entries.get(i).getValue(), out);
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + node.getClass().getName());
        }
    }

    /** By value: the shortest decimal of a binary float, then without trailing zeros. */
    static String number(Number number) {
        BigDecimal value;
        if (number instanceof BigDecimal decimal) {
            value = decimal;
        } else if (number instanceof BigInteger integer) {
            value = new BigDecimal(integer);
        } else if (number instanceof Double || number instanceof Float) {
            // Float.toString, not a widening to double, so 0.1f stays 0.1
            value = new BigDecimal(number instanceof Float f ? Float.toString(f) : Double.toString((Double) number));
        } else {
            value = BigDecimal.valueOf(number.longValue());
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return Math.abs(stripped.scale()) <= PLAIN_SCALE_LIMIT ? stripped.toPlainString() : stripped.toString();
    }

    private static void string(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
