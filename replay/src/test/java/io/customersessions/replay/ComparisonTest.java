package io.customersessions.replay;

import io.customersessions.avro.CustomerSessionState;
import io.customersessions.eventlog.serde.AvroWireDeserializer;
import io.customersessions.eventlog.serde.AvroWireSerializer;
import io.customersessions.replay.Comparison.Difference;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ComparisonTest {

    private static final Map<String, Object> SERDE = Map.of("schema.registry.url", "mock://comparison-test",
            "specific.avro.reader", true);

    @Test
    void a_state_read_back_from_the_log_equals_the_state_it_was_written_from() {
        // given: decoded records hold Avro's own list and map types, rebuilt ones plain Java collections
        CustomerSessionState rebuilt = SessionHistory.checkout("a").finalState();
        CustomerSessionState decoded = roundTrip(rebuilt);

        // when
        var differences = Comparison.fieldByField("1:a", decoded, rebuilt);

        // then
        assertThat(decoded.getCartItems().getClass()).isNotEqualTo(ArrayList.class);
        assertThat(differences).isEmpty();
    }

    @Test
    void every_differing_field_is_reported_in_schema_order() {
        // given
        CustomerSessionState rebuilt = SessionHistory.checkout("a").finalState();
        CustomerSessionState live = CustomerSessionState.newBuilder(roundTrip(rebuilt))
                .setStoreIntegrationId("store-9")
                .setState("open")
                .setFirstSession(false)
                .build();

        // when
        var differences = Comparison.fieldByField("1:a", live, rebuilt);

        // then
        assertThat(differences).containsExactly(
                new Difference("1:a", "storeIntegrationId", "store-9", "null"),
                new Difference("1:a", "state", "open", "closed"),
                new Difference("1:a", "firstSession", "false", "true"));
    }

    @Test
    void lists_of_another_length_are_reported_whole() {
        // given
        CustomerSessionState rebuilt = SessionHistory.checkout("a").finalState();
        CustomerSessionState live = CustomerSessionState.newBuilder(rebuilt).build();
        live.setCouponCodes(new ArrayList<>(live.getCouponCodes()));
        live.getCouponCodes().add("FORGED");

        // when
        var differences = Comparison.fieldByField("1:a", live, rebuilt);

        // then
        assertThat(differences).containsExactly(
                new Difference("1:a", "couponCodes", "[WELCOME10, FORGED]", "[WELCOME10]"));
    }

    @Test
    void a_huge_value_is_cut_in_the_report() {
        // given
        CustomerSessionState rebuilt = SessionHistory.checkout("a").finalState();
        CustomerSessionState live = CustomerSessionState.newBuilder(rebuilt).setReferralCode("x".repeat(1000)).build();

        // when
        Difference difference = Comparison.fieldByField("1:a", live, rebuilt).get(0);

        // then
        assertThat(difference.live()).hasSize(Comparison.MAX_VALUE_LENGTH + 1).endsWith("…");
    }

    private static CustomerSessionState roundTrip(CustomerSessionState state) {
        try (AvroWireSerializer serializer = new AvroWireSerializer();
             AvroWireDeserializer deserializer = new AvroWireDeserializer()) {
            serializer.configure(SERDE, false);
            deserializer.configure(SERDE, false);
            byte[] bytes = serializer.serialize("customer-session-state", state);
            return (CustomerSessionState) deserializer.deserialize("customer-session-state", bytes);
        }
    }
}
