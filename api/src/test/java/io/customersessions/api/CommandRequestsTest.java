package io.customersessions.api;

import io.customersessions.api.model.DiscountsRequest;
import io.customersessions.api.model.ReturnIntegrationRequest;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.customersessions.api.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

class CommandRequestsTest {

    private static final SessionKey KEY = new SessionKey(7, "session-1");
    private static final Instant TIME = Instant.parse("2026-11-22T10:15:30.123Z");

    private static Validated<SessionCommand.ReturnItems> parseReturn(String singleQuotedBody, String idempotencyKey) {
        return CommandRequests.parseReturn("cmd-1", KEY, TIME, null, idempotencyKey,
                Json.read(json(singleQuotedBody), ReturnIntegrationRequest.class));
    }

    private static Validated<SessionCommand.SetDiscounts> parseDiscounts(String singleQuotedBody) {
        return CommandRequests.parseDiscounts("cmd-1", KEY, TIME, 4,
                Json.read(json(singleQuotedBody), DiscountsRequest.class));
    }

    private static <C> C valid(Validated<C> parsed) {
        assertThat(parsed).isInstanceOf(Validated.Valid.class);
        return ((Validated.Valid<C>) parsed).value();
    }

    private static List<String> pointers(Validated<?> parsed) {
        List<Rejection.Violation> violations =
                assertThat(parsed).asInstanceOf(type(Validated.Invalid.class)).actual().violations();
        return violations.stream().map(Rejection.Violation::pointer).toList();
    }

    @Test
    void a_return_lists_positions_and_quantities_and_carries_the_idempotency_key() {
        // when
        SessionCommand.ReturnItems command = valid(parseReturn(
                "{'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}, {'position': 2, 'quantity': 3}]}}",
                "return-1"));

        // then
        assertThat(command.returnedItems()).containsExactly(new ReturnedItem(0, 1), new ReturnedItem(2, 3));
        assertThat(command.idempotencyKey()).isEqualTo("return-1");
        assertThat(command.key()).isEqualTo(KEY);
        assertThat(command.time()).isEqualTo(TIME);
    }

    @Test
    void a_return_without_items_or_with_fractions_nulls_and_missing_numbers_names_each_problem() {
        assertThat(pointers(parseReturn("{}", null))).containsExactly("/return");
        assertThat(pointers(parseReturn("{'return': {}}", null))).containsExactly("/return/returnedCartItems");
        assertThat(pointers(parseReturn("{'return': {'returnedCartItems': []}}", null)))
                .containsExactly("/return/returnedCartItems");
        assertThat(pointers(parseReturn("{'return': {'returnedCartItems': [{'position': 0.5, 'quantity': 1},"
                + " null, {'quantity': 1}, {'position': -1, 'quantity': 0}]}}", null)))
                .containsExactlyInAnyOrder("/return/returnedCartItems/0/position", "/return/returnedCartItems/1",
                        "/return/returnedCartItems/2/position", "/return/returnedCartItems/3/position",
                        "/return/returnedCartItems/3/quantity");
    }

    @Test
    void an_item_without_a_quantity_is_returned_in_its_entirety_as_in_talon_one() {
        // when
        SessionCommand.ReturnItems command = valid(parseReturn(
                "{'return': {'returnedCartItems': [{'position': 1}]}}", null));

        // then
        assertThat(command.returnedItems()).containsExactly(ReturnedItem.entire(1));
    }

    @Test
    void an_overlong_idempotency_key_is_invalid() {
        assertThat(pointers(parseReturn("{'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}}",
                "k".repeat(256)))).containsExactly("");
        valid(parseReturn("{'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}}", "k".repeat(255)));
    }

    @Test
    void a_reopen_needs_nothing_but_the_session() {
        // when
        SessionCommand.ReopenSession command = valid(CommandRequests.parseReopen("cmd-1", KEY, TIME, 3));

        // then
        assertThat(command.expectedUpdateCount()).isEqualTo(3);
    }

    @Test
    void discounts_are_labelled_values_and_an_empty_object_clears_them() {
        // when
        SessionCommand.SetDiscounts command = valid(parseDiscounts("{'discounts': {'b': 1.5, 'a': 0.1}}"));

        // then
        assertThat(command.discounts()).containsOnlyKeys("a", "b");
        assertThat(command.discounts().get("a")).isEqualByComparingTo("0.1");
        assertThat(command.expectedUpdateCount()).isEqualTo(4);
        assertThat(valid(parseDiscounts("{'discounts': {}}")).discounts()).isEmpty();
    }

    @Test
    void missing_discounts_null_values_and_negative_ones_point_at_their_label() {
        assertThat(pointers(parseDiscounts("{}"))).containsExactly("/discounts");
        assertThat(pointers(parseDiscounts("{'discounts': {'a/b': null, 'c': -1}}")))
                .containsExactlyInAnyOrder("/discounts/a~1b", "/discounts/c");
    }
}
