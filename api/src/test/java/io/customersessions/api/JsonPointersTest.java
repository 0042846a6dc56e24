package io.customersessions.api;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class JsonPointersTest {

    @Test
    void a_pointer_is_within_any_of_a_set_that_holds_it_or_one_of_its_parents() {
        assertThat(JsonPointers.withinAny("/customerSession/cartItems/1/sku", Set.of("/customerSession/cartItems/1")))
                .isTrue();
        assertThat(JsonPointers.withinAny("/customerSession/couponCodes/1", Set.of("/customerSession/couponCodes/1")))
                .isTrue();
        assertThat(JsonPointers.withinAny("/customerSession/state", Set.of(""))).isTrue();
        assertThat(JsonPointers.withinAny("/customerSession/cartItems/10", Set.of("/customerSession/cartItems/1")))
                .isFalse();
        assertThat(JsonPointers.withinAny("/customerSession/attributes/a~1b", Set.of("/customerSession/attributes/a")))
                .isFalse();
        assertThat(JsonPointers.withinAny("/customerSession", Set.of("/customerSession/state"))).isFalse();
    }
}
