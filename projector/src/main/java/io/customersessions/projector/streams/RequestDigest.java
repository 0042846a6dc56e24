package io.customersessions.projector.streams;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a keyed request asked for, as a SHA-256 (hex) of a canonical text of its Avro payload, so that a retry of the
 * same request is told apart from another one sent under the same Idempotency-Key.
 *
 * <p>Invariants: the text depends on the values alone, not on how they were written or on the reader's schema
 * version. Fields are taken by name in name order, null fields are left out (so a field a later schema adds with a
 * null default changes no digest), map entries are sorted by key (whatever order a decoder gave them), every string
 * is length-prefixed, and a record names its type. Empty lists and maps are kept: {@code []} and an omitted field
 * ask for different things (clear, keep). A field renamed or retyped does change the digest.
 */
final class RequestDigest {

    /** Prefixed to the text: a change of this canonical form must change every digest, never match an old one. */
    private static final String FORMAT = "request-digest/1\n";

    private RequestDigest() {
    }

    static String of(IndexedRecord payload) {
        StringBuilder text = new StringBuilder(FORMAT);
        write(payload, payload.getSchema(), text);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void write(Object value, Schema schema, StringBuilder out) {
        switch (schema.getType()) {
            case UNION -> write(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)), out);
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                out.append(schema.getFullName()).append('{');
                List<Schema.Field> fields = record.getSchema().getFields().stream()
                        .sorted(Comparator.comparing(Schema.Field::name)).toList();
                for (Schema.Field field : fields) {
                    Object fieldValue = record.get(field.pos());
                    if (fieldValue != null) {
                        text(field.name(), out);
                        out.append('=');
                        write(fieldValue, field.schema(), out);
                        out.append(';');
                    }
                }
                out.append('}');
            }
            case MAP -> {
                Map<String, Object> sorted = new TreeMap<>();
                ((Map<?, ?>) value).forEach((key, entry) -> sorted.put(key.toString(), entry));
                out.append('{');
                sorted.forEach((key, entry) -> {
                    text(key, out);
                    out.append(':');
                    if (entry == null) {
                        out.append('~');
                    } else {
                        write(entry, schema.getValueType(), out);
                    }
                    out.append(',');
                });
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (Object element : (Iterable<?>) value) {
                    if (element == null) {
                        out.append('~');
                    } else {
                        write(element, schema.getElementType(), out);
                    }
                    out.append(',');
                }
                out.append(']');
            }
            case STRING, ENUM -> text(value.toString(), out);
            case NULL -> out.append('~');
            default -> out.append(schema.getType().getName()).append(':').append(value).append(' ');
        }
    }

    private static void text(String value, StringBuilder out) {
        out.append(value.length()).append('\'').append(value);
    }
}
