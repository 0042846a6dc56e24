package io.customersessions.launcher.registry;

import static io.customersessions.launcher.registry.TestSchemas.CART_INCOMPATIBLE;
import static io.customersessions.launcher.registry.TestSchemas.CART_V1;
import static io.customersessions.launcher.registry.TestSchemas.CART_V2;
import static io.customersessions.launcher.registry.TestSchemas.PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaStoreTest {

    private final List<SchemaRecord> journal = new ArrayList<>();
    private final SchemaStore store = new SchemaStore(journal::add, List.of());

    @Test
    void an_append_that_failed_but_lands_late_never_shares_its_id_or_version_with_another_schema() {
        // given a journal whose first append times out, yet its record is written later (a slow broker)
        List<SchemaRecord> landed = new ArrayList<>();
        boolean[] failedOnce = {false};
        SchemaStore slow = new SchemaStore(record -> {
            landed.add(record);
            if (!failedOnce[0]) {
                failedOnce[0] = true;
                throw new IllegalStateException("timed out waiting for the write");
            }
        }, List.of());
        assertThatThrownBy(() -> slow.register("carts-value", CART_V1)).isInstanceOf(RegistryException.class);

        // when another schema is registered, and the cart's again
        SchemaRecord payment = slow.register("payments-value", PAYMENT);
        SchemaRecord cart = slow.register("carts-value", CART_V1);

        // then no number is given twice, and a store replaying the journal answers as this one did
        SchemaRecord late = landed.get(0);
        assertThat(payment.id()).isNotEqualTo(late.id());
        assertThat(cart.version()).isNotEqualTo(late.version());
        SchemaStore restarted = new SchemaStore(record -> { }, landed);
        assertThat(restarted.schemaById(payment.id())).isEqualTo(slow.schemaById(payment.id()));
        assertThat(restarted.schemaById(cart.id())).isEqualTo(slow.schemaById(cart.id()));
        assertThat(restarted.version("carts-value", "latest")).isEqualTo(cart);
    }

    @Test
    void ids_are_assigned_from_one_in_registration_order() {
        // when
        SchemaRecord cart = store.register("carts-value", CART_V1);
        SchemaRecord payment = store.register("payments-value", PAYMENT);

        // then
        assertThat(cart.id()).isEqualTo(1);
        assertThat(payment.id()).isEqualTo(2);
        assertThat(List.of(cart.version(), payment.version())).containsOnly(1);
    }

    @Test
    void the_same_schema_keeps_its_id_in_another_subject_as_that_subjects_next_version() {
        // given
        store.register("payments-value", PAYMENT);
        SchemaRecord original = store.register("carts-value", CART_V1);

        // when
        SchemaRecord elsewhere = store.register("carts-replay-value", CART_V1);

        // then
        assertThat(elsewhere.id()).isEqualTo(original.id()).isEqualTo(2);
        assertThat(elsewhere.version()).isEqualTo(1);
    }

    @Test
    void registering_a_schema_the_subject_holds_adds_no_version() {
        // given
        SchemaRecord first = store.register("carts-value", CART_V1);

        // when
        SchemaRecord again = store.register("carts-value", reformatted(CART_V1));

        // then
        assertThat(again).isEqualTo(first);
        assertThat(store.versions("carts-value")).containsExactly(1);
        assertThat(journal).hasSize(1);
    }

    @Test
    void a_backward_compatible_schema_becomes_the_next_version_with_a_new_id() {
        // given
        store.register("carts-value", CART_V1);

        // when
        SchemaRecord v2 = store.register("carts-value", CART_V2);

        // then
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.id()).isEqualTo(2);
        assertThat(store.version("carts-value", "latest")).isEqualTo(v2);
    }

    @Test
    void a_schema_that_cannot_read_the_latest_version_is_rejected_with_409_and_stored_nowhere() {
        // given
        store.register("carts-value", CART_V1);

        // when / then
        assertThatThrownBy(() -> store.register("carts-value", CART_INCOMPATIBLE))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessageContaining("owner");
        assertThat(store.versions("carts-value")).containsExactly(1);
        assertThat(journal).hasSize(1);
    }

    @Test
    void an_unparseable_schema_is_rejected_as_invalid() {
        // when / then
        assertThatThrownBy(() -> store.register("carts-value", "{\"type\": \"recrod\"}"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(42201);
                });
        assertThat(store.subjects()).isEmpty();
    }

    @Test
    void every_assignment_is_journaled_before_it_is_visible() {
        // given
        SchemaStore failing = new SchemaStore(record -> {
            throw new IllegalStateException("broker down");
        }, List.of());

        // when / then
        assertThatThrownBy(() -> failing.register("carts-value", CART_V1))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(50001))
                .hasMessageContaining("broker down");
        assertThatThrownBy(() -> failing.schemaById(1)).isInstanceOf(RegistryException.class);
        assertThat(failing.subjects()).isEmpty();
    }

    @Test
    void replaying_the_journal_restores_ids_and_versions_and_continues_the_numbering() {
        // given
        store.register("carts-value", CART_V1);
        store.register("payments-value", PAYMENT);
        store.register("carts-value", CART_V2);
        store.register("carts-replay-value", CART_V1);

        // when
        SchemaStore restored = new SchemaStore(journal::add, List.copyOf(journal));
        SchemaRecord next = restored.register("others-value", PAYMENT.replace("Payment", "Refund"));

        // then
        assertThat(restored.subjects())
                .containsExactly("carts-replay-value", "carts-value", "others-value", "payments-value");
        assertThat(restored.version("carts-value", "2")).isEqualTo(store.version("carts-value", "2"));
        assertThat(restored.lookup("carts-replay-value", CART_V1).id()).isEqualTo(1);
        assertThat(restored.schemaById(3)).isEqualTo(store.schemaById(3));
        assertThat(next.id()).isEqualTo(4);
    }

    @Test
    void lookup_finds_the_version_holding_the_schema_and_reports_what_is_missing() {
        // given
        store.register("carts-value", CART_V1);
        store.register("carts-value", CART_V2);

        // when
        SchemaRecord found = store.lookup("carts-value", reformatted(CART_V1));

        // then
        assertThat(found.version()).isEqualTo(1);
        assertThatThrownBy(() -> store.lookup("carts-value", PAYMENT))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThatThrownBy(() -> store.lookup("nothing-value", PAYMENT))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    }

    @Test
    void versions_are_addressed_by_number_or_latest_and_bad_ones_are_told_apart() {
        // given
        store.register("carts-value", CART_V1);

        // when / then
        assertThat(store.version("carts-value", "1").id()).isEqualTo(1);
        assertThat(store.version("carts-value", "-1").version()).isEqualTo(1);
        assertThatThrownBy(() -> store.version("carts-value", "2"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40402));
        assertThatThrownBy(() -> store.version("carts-value", "first"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42202));
    }

    /** The same schema with other whitespace and key order: the registry compares canonical forms. */
    private static String reformatted(String schema) {
        return new Schema.Parser().parse(schema).toString(true);
    }
}
