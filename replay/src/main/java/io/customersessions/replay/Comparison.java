package io.customersessions.replay;

import io.customersessions.avro.CustomerSessionState;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a replay found: how many sessions were compared, how many events were folded, and every difference between the
 * live projection and the rebuilt state. Consistent when there is no difference.
 */
public record Comparison(long sessionsChecked, long eventsFolded, List<Difference> differences) {

    /** Shown in place of a value that one side does not have. */
    public static final String ABSENT = "<absent>";
    /** Rendered values longer than this are cut, so one huge cart cannot flood the report. */
    static final int MAX_VALUE_LENGTH = 300;

    public Comparison {
        differences = List.copyOf(differences);
    }

    /**
     * One field of one session that differs. {@code field} is a path into {@code CustomerSessionState}: a field name
     * ({@code total}), an element ({@code cartItems[2].price}) or a map entry ({@code attributes[shippingCity]}). A
     * session present on one side only has the field {@value #SESSION_FIELD}; a session whose events cannot be folded
     * has {@value #FOLD_FIELD}.
     */
    public record Difference(String sessionKey, String field, String live, String rebuilt) {

        public static final String SESSION_FIELD = "(session)";
        public static final String FOLD_FIELD = "(fold)";

        /** {@code <sessionKey> <field>: live=<value> rebuilt=<value>}, the report's line. */
        @Override
        public String toString() {
            return sessionKey + " " + field + ": live=" + live + " rebuilt=" + rebuilt;
        }
    }

    /** The comparisons of disjoint sets of sessions, as one. */
    public static Comparison sum(Collection<Comparison> parts) {
        List<Difference> differences = new ArrayList<>();
        parts.forEach(part -> differences.addAll(part.differences()));
        differences.sort(Comparator.comparing(Difference::sessionKey));
        return new Comparison(parts.stream().mapToLong(Comparison::sessionsChecked).sum(),
                parts.stream().mapToLong(Comparison::eventsFolded).sum(), differences);
    }

    public boolean consistent() {
        return differences.isEmpty();
    }

    /** The keys of the sessions with at least one difference, sorted. */
    public Set<String> sessionsWithDifferences() {
        return differences.stream().map(Difference::sessionKey).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Every field of {@code CustomerSessionState} (by name, in schema order) whose values differ, descending into
     * nested records, equally long lists and maps to name the innermost differing part. Text is compared as text, so
     * decimal text {@code "12.50"} differs from {@code "12.5"}: the projection must hold exactly what the fold gives.
     */
    public static List<Difference> fieldByField(String sessionKey, CustomerSessionState live,
                                                CustomerSessionState rebuilt) {
        List<Difference> differences = new ArrayList<>();
        diffRecord(sessionKey, "", live, rebuilt, differences);
        return differences;
    }

    private static void diffRecord(String sessionKey, String prefix, IndexedRecord live, IndexedRecord rebuilt,
                                   List<Difference> out) {
        for (Schema.Field field : live.getSchema().getFields()) {
            Object a = live.get(field.pos());
            Object b = rebuilt.get(field.pos());
            if (!same(field.schema(), a, b)) {
                diff(sessionKey, prefix + field.name(), field.schema(), a, b, out);
            }
        }
    }

    /** Reports the innermost differing parts of {@code a} and {@code b}, which are known to differ. */
    private static void diff(String sessionKey, String path, Schema schema, Object a, Object b,
                             List<Difference> out) {
        Schema type = nonNullBranch(schema);
        if (a != null && b != null && type != null) {
            switch (type.getType()) {
                case RECORD -> {
                    diffRecord(sessionKey, path + ".", (IndexedRecord) a, (IndexedRecord) b, out);
                    return;
                }
                case ARRAY -> {
                    List<?> as = (List<?>) a;
                    List<?> bs = (List<?>) b;
                    if (as.size() == bs.size()) {
                        for (int i = 0; i < as.size(); i++) {
                            if (!same(type.getElementType(), as.get(i), bs.get(i))) {
                                diff(sessionKey, path + "[" + i + "]", type.getElementType(), as.get(i), bs.get(i),
                                        out);
                            }
                        }
                        return;
                    }
                }
                case MAP -> {
                    Map<String, Object> am = byTextKey((Map<?, ?>) a);
                    Map<String, Object> bm = byTextKey((Map<?, ?>) b);
                    TreeSet<String> keys = new TreeSet<>(am.keySet());
                    keys.addAll(bm.keySet());
                    for (String k : keys) {
                        Object av = am.get(k);
                        Object bv = bm.get(k);
                        if (!am.containsKey(k) || !bm.containsKey(k)) {
                            out.add(new Difference(sessionKey, path + "[" + k + "]",
                                    am.containsKey(k) ? render(av) : ABSENT, bm.containsKey(k) ? render(bv) : ABSENT));
                        } else if (!same(type.getValueType(), av, bv)) {
                            diff(sessionKey, path + "[" + k + "]", type.getValueType(), av, bv, out);
                        }
                    }
                    return;
                }
                default -> {
                    // a leaf: reported below
                }
            }
        }
        out.add(new Difference(sessionKey, path, render(a), render(b)));
    }

    /**
     * Equality by the schema, independent of representation: decoded records hold Avro's own list type where the
     * rebuilt ones hold {@code ArrayList}s, and a foreign deserializer may give {@code Utf8} for text.
     */
    private static boolean same(Schema schema, Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        Schema type = nonNullBranch(schema);
        if (type == null) {
            return Objects.equals(a, b);
        }
        return switch (type.getType()) {
            case RECORD -> sameRecord(type, (IndexedRecord) a, (IndexedRecord) b);
            case ARRAY -> sameList(type.getElementType(), (List<?>) a, (List<?>) b);
            case MAP -> a.equals(b) || sameMap(type.getValueType(), byTextKey((Map<?, ?>) a), byTextKey((Map<?, ?>) b));
            case STRING -> a.toString().equals(b.toString());
            default -> Objects.equals(a, b);
        };
    }

    private static boolean sameRecord(Schema schema, IndexedRecord a, IndexedRecord b) {
        for (Schema.Field field : schema.getFields()) {
            if (!same(field.schema(), a.get(field.pos()), b.get(field.pos()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameList(Schema elementType, List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(elementType, a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameMap(Schema valueType, Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> entry : a.entrySet()) {
            if (!same(valueType, entry.getValue(), b.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The schema of non-null values of a field that may be a nullable union; null for any other union. */
    private static Schema nonNullBranch(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        return branches.size() == 1 ? branches.get(0) : null;
    }

    private static Map<String, Object> byTextKey(Map<?, ?> map) {
        Map<String, Object> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k.toString(), v));
        return copy;
    }

    private static String render(Object value) {
        String text = String.valueOf(value);
        return text.length() <= MAX_VALUE_LENGTH ? text : text.substring(0, MAX_VALUE_LENGTH) + "…";
    }
}
