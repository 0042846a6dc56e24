package io.customersessions.api;

import io.micronaut.json.tree.JsonNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.customersessions.api.Json.json;
import static io.customersessions.api.Json.tree;
import static org.assertj.core.api.Assertions.assertThat;

class CanonicalJsonTest {

    @Test
    void object_keys_are_sorted_at_every_depth_and_whitespace_is_dropped() {
        // given
        JsonNode value = tree(json("{ 'b': [ {'y': 1, 'x': 2} ], 'a': {'d': true, 'c': null} }"));

        // when
        String canonical = CanonicalJson.write(value);

        // then
        assertThat(canonical).isEqualTo(json("{'a':{'c':null,'d':true},'b':[{'x':2,'y':1}]}"));
    }

    @Test
    void the_same_value_in_any_key_order_gives_the_same_text() {
        // given
        JsonNode one = tree(json("{'city': 'Berlin', 'tags': ['b', 'a'], 'geo': {'lon': 13.4, 'lat': 52.5}}"));
        JsonNode other = tree(json("{'geo': {'lat': 52.5, 'lon': 13.4}, 'tags': ['b', 'a'], 'city': 'Berlin'}"));

        // when / then
        assertThat(CanonicalJson.write(one)).isEqualTo(CanonicalJson.write(other));
    }

    @Test
    void array_order_is_kept_because_it_is_part_of_the_value() {
        assertThat(CanonicalJson.write(tree("[2,1]"))).isEqualTo("[2,1]");
    }

    @Test
    void numbers_are_written_by_value() {
        assertThat(CanonicalJson.write(tree("[1, 1.0, 1e0, 10, 1e1, 12.50, 0.1, -0.0, 1e25, 1.5e-30]")))
                .isEqualTo("[1,1,1,10,10,12.5,0.1,0,1E+25,1.5E-30]");
    }

    @Test
    void exact_decimals_and_big_integers_keep_every_digit() {
        assertThat(CanonicalJson.number(new BigDecimal("0.12345678901234567890123"))).isEqualTo("0.12345678901234567890123");
        assertThat(CanonicalJson.write(tree("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
    }

    @Test
    void strings_use_the_shortest_escapes() {
        // given
        JsonNode value = JsonNode.createStringNode("q\"b\\n\n\t\u0001é€");

        // when / then
        assertThat(CanonicalJson.write(value)).isEqualTo("\"q\\\"b\\\\n\\n\\t\\u0001é€\"");
    }

    @Test
    void canonical_text_is_valid_json_for_the_same_value() {
        // given
        String canonical = CanonicalJson.write(tree(json("{'s': 'a\\u0000\\\"', 'n': [1.5e-30, 1e25], 'o': {}}")));

        // when
        String again = CanonicalJson.write(tree(canonical));

        // then
        assertThat(again).isEqualTo(canonical);
    }

    @Property
    void insertion_order_of_keys_never_changes_the_text(
            @ForAll @Size(min = 1, max = 12) @UniqueElements List<String> keys, @ForAll long seed) {
        // given
        Map<String, JsonNode> inOrder = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            inOrder.put(keys.get(i), JsonNode.createArrayNode(List.of(JsonNode.createNumberNode(i),
                    JsonNode.createObjectNode(Map.of(keys.get(i), JsonNode.createStringNode(keys.get(i)))))));
        }
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new java.util.Random(seed));
        Map<String, JsonNode> reordered = new LinkedHashMap<>();
        shuffled.forEach(key -> reordered.put(key, inOrder.get(key)));

        // when / then
        assertThat(CanonicalJson.write(JsonNode.createObjectNode(reordered)))
                .isEqualTo(CanonicalJson.write(JsonNode.createObjectNode(inOrder)));
    }

    @Test
    void a_value_may_nest_arrays_and_objects_up_to_the_limit_but_not_deeper() {
        // given: the limit in arrays and objects, alternating, around a string; and one level more
        JsonNode atLimit = JsonNode.createStringNode("leaf");
        for (int level = 0; level < CanonicalJson.MAX_DEPTH; level++) {
            atLimit = level % 2 == 0 ? JsonNode.createArrayNode(List.of(atLimit))
                    : JsonNode.createObjectNode(Map.of("x", atLimit));
        }
        JsonNode beyond = JsonNode.createArrayNode(List.of(JsonNode.createNumberNode(1), atLimit));

        // then
        assertThat(CanonicalJson.unstorable(atLimit)).isEmpty();
        assertThat(CanonicalJson.unstorable(beyond)).hasValueSatisfying(reason -> assertThat(reason).contains("nest"));
        assertThat(CanonicalJson.unstorable(JsonNode.createStringNode("flat"))).isEmpty();
    }

    @Test
    void a_number_beyond_a_doubles_range_cannot_be_stored_whatever_its_spelling_and_a_large_finite_one_can() {
        assertThat(CanonicalJson.unstorable(tree(json("{'a': [1, 1e309]}")))).isPresent();
        assertThat(CanonicalJson.unstorable(tree(json("-1e400")))).isPresent();
        assertThat(CanonicalJson.unstorable(tree(json("{'a': 1" + "0".repeat(309) + "}")))).isPresent();
        assertThat(CanonicalJson.unstorable(tree(json("[-1" + "0".repeat(309) + "]")))).isPresent();
        assertThat(CanonicalJson.unstorable(tree(json("1" + "0".repeat(307))))).isEmpty();
        assertThat(CanonicalJson.unstorable(tree(json("{'a': 1.7976931348623157e308, 'b': 12345678901234567890}"))))
                .isEmpty();
    }
}
