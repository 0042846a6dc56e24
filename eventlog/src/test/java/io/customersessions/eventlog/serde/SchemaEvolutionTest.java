package io.customersessions.eventlog.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every released version of the contract (schema-history/*) must stay readable by today's generated classes:
 * records written with an old writer schema, one for every payload type, are read through the wire format into
 * today's classes with their values intact and every field added since at its default.
 */
class SchemaEvolutionTest {

    private static final List<String> CONTRACT = List.of("SessionEvent", "SessionCommand", "CustomerSessionState",
            "CommandOutcome");

    @Test
    void there_is_at_least_one_historical_version_with_the_whole_contract() {
        // when
        List<SchemaHistory> history = SchemaHistory.all();

        // then
        assertThat(history).isNotEmpty().allSatisfy(version -> assertThat(version.topLevelSchemas())
                .extracting(Schema::getName).containsAll(CONTRACT));
    }

    @TestFactory
    Stream<DynamicTest> todays_schemas_are_backward_compatible_with_every_historical_one() {
        return SchemaHistory.all().stream().flatMap(version -> names(version).map(name -> DynamicTest.dynamicTest(
                version + "/" + name, () -> {
                    // given
                    Schema old = version.named(name);
                    Schema today = todaysSchema(old);

                    // when
                    SchemaCompatibility.SchemaPairCompatibility result =
                            SchemaCompatibility.checkReaderWriterCompatibility(today, old);

                    // then
                    assertThat(result.getType())
                            .as("%s", result.getResult().getIncompatibilities().stream()
                                    .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage()).toList())
                            .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
                })));
    }

    @TestFactory
    Stream<DynamicTest> records_written_with_every_historical_schema_read_into_todays_classes() {
        return SchemaHistory.all().stream().flatMap(version -> names(version).flatMap(name -> {
            Schema old = version.named(name);
            return representatives(old).stream().map(record -> DynamicTest.dynamicTest(
                    version + "/" + name + " " + describe(record), () -> {
                        // given
                        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
                        byte[] bytes = new AvroWireSerializer(registry).serialize("topic", record);

                        // when
                        Object read = new AvroWireDeserializer(registry, true).deserialize("topic", bytes);

                        // then
                        assertThat(read).isInstanceOf(SpecificRecord.class);
                        assertThat(read.getClass().getSimpleName()).isEqualTo(name);
                        assertCarries(old, record, read, name);
                    }));
        }));
    }

    /** Every top-level schema of the version: the contract, and what was added to it later (e.g. SessionDataKey). */
    private static Stream<String> names(SchemaHistory version) {
        return version.topLevelSchemas().stream().map(Schema::getName);
    }

    private static Schema todaysSchema(Schema old) {
        Class<?> generated = SpecificData.get().getClass(old);
        assertThat(generated).as("today's class for %s", old.getFullName()).isNotNull();
        return SpecificData.get().getSchema(generated);
    }

    /** One record per branch of every top-level union of several records (the payload types), else one record. */
    private static List<GenericRecord> representatives(Schema schema) {
        List<GenericRecord> records = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            List<Schema> branches = field.schema().getType() == Schema.Type.UNION
                    ? field.schema().getTypes().stream().filter(b -> b.getType() == Schema.Type.RECORD).toList()
                    : List.of();
            if (branches.size() > 1) {
                for (Schema branch : branches) {
                    GenericData.Record record = (GenericData.Record) sample(schema, field.name());
                    record.put(field.name(), sample(branch, field.name()));
                    records.add(record);
                }
            }
        }
        return records.isEmpty() ? List.of((GenericRecord) sample(schema, schema.getName())) : records;
    }

    /** A value of every field, non-null where the schema allows null, derived from the path so values differ. */
    private static Object sample(Schema schema, String path) {
        return switch (schema.getType()) {
            case RECORD -> {
                GenericData.Record record = new GenericData.Record(schema);
                schema.getFields().forEach(f -> record.put(f.name(), sample(f.schema(), path + "." + f.name())));
                yield record;
            }
            case UNION -> sample(schema.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL)
                    .findFirst().orElse(schema.getTypes().get(0)), path);
            case ARRAY -> List.of(sample(schema.getElementType(), path + "[0]"),
                    sample(schema.getElementType(), path + "[1]"));
            case MAP -> Map.of("k1", sample(schema.getValueType(), path + "{k1}"),
                    "k2", sample(schema.getValueType(), path + "{k2}"));
            case STRING -> "v:" + path;
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    ? 1_767_225_600_000L + path.length() : (long) path.hashCode();
            case INT -> path.length();
            case BOOLEAN -> true;
            case DOUBLE -> path.length() / 4.0;
            case FLOAT -> path.length() / 4.0f;
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(0));
            case BYTES -> ByteBuffer.wrap(path.getBytes());
            case FIXED -> new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
            case NULL -> null;
        };
    }

    /** Today's value carries the old one: same values for old fields, defaults for fields added since. */
    private static void assertCarries(Schema oldSchema, Object oldValue, Object newValue, String path) {
        switch (oldSchema.getType()) {
            case RECORD -> {
                IndexedRecord oldRecord = (IndexedRecord) oldValue;
                IndexedRecord newRecord = (IndexedRecord) newValue;
                assertThat(newRecord.getSchema().getName()).as(path).isEqualTo(oldSchema.getName());
                for (Schema.Field newField : newRecord.getSchema().getFields()) {
                    Schema.Field oldField = oldSchema.getField(newField.name());
                    Object value = newRecord.get(newField.pos());
                    if (oldField == null) {
                        assertThat(plain(value)).as(path + "." + newField.name() + " (added: its default)")
                                .isEqualTo(plain(SpecificData.get().getDefaultValue(newField)));
                    } else {
                        assertCarries(oldField.schema(), oldRecord.get(oldField.pos()), value,
                                path + "." + newField.name());
                    }
                }
            }
            case UNION -> assertCarries(oldSchema.getTypes().get(GenericData.get().resolveUnion(oldSchema, oldValue)),
                    oldValue, newValue, path);
            case ARRAY -> {
                List<?> oldList = (List<?>) oldValue;
                List<?> newList = (List<?>) newValue;
                assertThat(newList).as(path).hasSameSizeAs(oldList);
                for (int i = 0; i < oldList.size(); i++) {
                    assertCarries(oldSchema.getElementType(), oldList.get(i), newList.get(i), path + "[" + i + "]");
                }
            }
            case MAP -> {
                Map<String, Object> newMap = new LinkedHashMap<>();
                ((Map<?, ?>) newValue).forEach((k, v) -> newMap.put(k.toString(), v));
                Map<?, ?> oldMap = (Map<?, ?>) oldValue;
                assertThat(newMap.keySet()).as(path).containsExactlyInAnyOrderElementsOf(
                        oldMap.keySet().stream().map(Object::toString).toList());
                oldMap.forEach((k, v) -> assertCarries(oldSchema.getValueType(), v, newMap.get(k.toString()),
                        path + "{" + k + "}"));
            }
            default -> assertThat(plain(newValue)).as(path).isEqualTo(plain(oldValue));
        }
    }

    /** Avro's representations reduced to plain Java values: text as String, timestamps as epoch millis. */
    private static Object plain(Object value) {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(SchemaEvolutionTest::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> plain = new LinkedHashMap<>();
            map.forEach((k, v) -> plain.put(k.toString(), plain(v)));
            return plain;
        }
        if (value instanceof IndexedRecord record) {
            Map<String, Object> plain = new LinkedHashMap<>();
            record.getSchema().getFields().forEach(f -> plain.put(f.name(), plain(record.get(f.pos()))));
            return plain;
        }
        return value;
    }

    private static String describe(GenericRecord record) {
        return record.getSchema().getFields().stream()
                .filter(f -> record.get(f.pos()) instanceof GenericRecord)
                .map(f -> f.name() + "=" + ((GenericRecord) record.get(f.pos())).getSchema().getName())
                .findFirst().orElse("");
    }
}
