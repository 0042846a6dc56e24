package io.customersessions.projector.streams;

import io.customersessions.avro.SessionChanges;
import io.customersessions.avro.UpsertSession;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The digest that tells a retried update from another request under the same Idempotency-Key. */
class RequestDigestTest {

    @Test
    void maps_in_any_order_give_the_same_digest() {
        // given: the same attributes and costs, put in opposite orders (as decoders and writers may)
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("city", "\"Berlin\"");
        attributes.put("age", "42");
        attributes.put("zip", "\"10115\"");
        Map<String, String> reversed = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(attributes.keySet());
        Collections.reverse(names);
        names.forEach(name -> reversed.put(name, attributes.get(name)));

        // when
        String first = RequestDigest.of(update(changes(attributes, Map.of("shipping", "4.95", "wrap", "1.00"))));
        String second = RequestDigest.of(update(changes(reversed, new HashMap<>(Map.of("wrap", "1.00",
                "shipping", "4.95")))));

        // then
        assertThat(first).hasSize(64).isEqualTo(second);
    }

    @Test
    void a_field_a_later_schema_adds_with_a_null_default_changes_no_digest() {
        // given: the same update read with a schema that has one more nullable field, left null
        UpsertSession update = update(changes(Map.of("city", "\"Berlin\""), Map.of()));
        Schema extended = extendedWithNullableField(UpsertSession.getClassSchema());
        GenericRecord readLater = new GenericData.Record(extended);
        for (Schema.Field field : UpsertSession.getClassSchema().getFields()) {
            readLater.put(field.name(), update.get(field.pos()));
        }

        // then
        assertThat(RequestDigest.of(readLater)).isEqualTo(RequestDigest.of(update));
    }

    @Test
    void different_requests_give_different_digests() {
        // given
        SessionChanges keep = changes(Map.of(), Map.of());
        SessionChanges clearCoupons = SessionChanges.newBuilder(keep).setCouponCodes(List.of()).build();
        SessionChanges oneCoupon = SessionChanges.newBuilder(keep).setCouponCodes(List.of("SPRING")).build();
        SessionChanges otherAttribute = changes(Map.of("city", "\"Paris\""), Map.of());
        SessionChanges sameAttributeText = changes(Map.of("city", "\"Berlin\""), Map.of());

        // when
        List<String> digests = List.of(keep, clearCoupons, oneCoupon, otherAttribute, sameAttributeText).stream()
                .map(changes -> RequestDigest.of(update(changes))).toList();
        String closed = RequestDigest.of(new UpsertSession("closed", keep, "key-1"));

        // then: [] clears where an omitted field keeps, so the two differ too
        assertThat(digests).doesNotHaveDuplicates().doesNotContain(closed);
    }

    private static UpsertSession update(SessionChanges changes) {
        return new UpsertSession(null, changes, "key-1");
    }

    private static SessionChanges changes(Map<String, String> attributes, Map<String, String> costs) {
        return SessionChanges.newBuilder().setProfileId("alice").setAttributes(attributes).setAdditionalCosts(costs)
                .build();
    }

    private static Schema extendedWithNullableField(Schema schema) {
        List<Schema.Field> fields = new ArrayList<>();
        schema.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("addedLater", Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), null, Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
