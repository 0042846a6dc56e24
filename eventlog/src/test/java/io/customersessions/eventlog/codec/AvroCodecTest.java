package io.customersessions.eventlog.codec;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.customersessions.eventlog.codec.CodecFixtures.CREATED;
import static io.customersessions.eventlog.codec.CodecFixtures.KEY;
import static io.customersessions.eventlog.codec.CodecFixtures.META;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroCodecTest {

    @Test
    void a_fully_filled_session_survives_the_log_unchanged() {
        // given
        CustomerSession session = CodecFixtures.fullSession();

        // when
        CustomerSession back = AvroCodec.fromAvro(AvroBytes.viaLog(AvroCodec.toAvro(session), CustomerSessionState.class));

        // then
        assertThat(back).isEqualTo(session);
        assertThat(back.cartItems().get(0).price()).hasToString("12.50");
        assertThat(back.attributes()).containsEntry("nested", "{\"x\":{\"y\":1.50}}");
    }

    @Test
    void an_anonymous_session_with_empty_collections_survives_the_log_unchanged() {
        // given
        CustomerSession session = CodecFixtures.anonymousEmptySession();

        // when
        CustomerSessionState avro = AvroBytes.viaLog(AvroCodec.toAvro(session), CustomerSessionState.class);

        // then
        assertThat(avro.getProfileId()).isEmpty();
        assertThat(avro.getStoreIntegrationId()).isNull();
        assertThat(AvroCodec.fromAvro(avro)).isEqualTo(session);
    }

    @Test
    void the_state_record_carries_the_domain_totals_as_exact_decimal_text() {
        // given 3 × 0.1 in the cart and 0.2 of session cost: binary floating point would give 0.5000000000000001
        CartItem item = CartItem.of("SKU-1", 3, new BigDecimal("0.1"));
        CustomerSession session = new CustomerSession(KEY, 1L, "p", null, null, null, null, null, SessionState.OPEN,
                List.of(item), new TreeMap<>(Map.of("shipping", new BigDecimal("0.2"))), null, null, false, 1,
                CREATED, CREATED);

        // when
        CustomerSessionState avro = AvroCodec.toAvro(session);

        // then
        assertThat(avro.getCartItemTotal()).isEqualTo("0.3");
        assertThat(avro.getAdditionalCostTotal()).isEqualTo("0.2");
        assertThat(avro.getTotal()).isEqualTo("0.5");
    }

    @Test
    void the_total_includes_per_unit_item_costs_of_the_remaining_units() {
        // given 3 bought, 1 returned: 2 × (12.50 + 0.25 + 1.000) plus 4.90 + 100 session costs
        CustomerSession session = CodecFixtures.fullSession();

        // when
        CustomerSessionState avro = AvroCodec.toAvro(session);

        // then
        assertThat(avro.getCartItemTotal()).isEqualTo(session.cartItemTotal().toPlainString()).isEqualTo("25.00");
        assertThat(avro.getAdditionalCostTotal()).isEqualTo("104.90");
        assertThat(avro.getTotal()).isEqualTo(session.total().toPlainString()).isEqualTo("132.400");
    }

    @Test
    void totals_in_a_record_are_ignored_on_the_way_in_because_the_domain_derives_them() {
        // given
        CustomerSessionState avro = AvroCodec.toAvro(CodecFixtures.fullSession());
        avro.setTotal("999");
        avro.setTotalDiscounts("999");

        // when
        CustomerSession session = AvroCodec.fromAvro(avro);

        // then
        assertThat(session.total()).isEqualByComparingTo("132.4");
        assertThat(session.totalDiscounts()).isEqualByComparingTo("7.4");
    }

    @Test
    void the_state_record_carries_the_discounts_and_their_total_while_total_stays_before_discounts() {
        // given
        CustomerSession session = CodecFixtures.fullSession();

        // when
        CustomerSessionState avro = AvroBytes.viaLog(AvroCodec.toAvro(session), CustomerSessionState.class);

        // then
        assertThat(avro.getDiscounts())
                .isEqualTo(Map.of("free shipping", "4.90", "shoes 10%", "2.50", "welcome/voucher", "0"));
        assertThat(avro.getTotalDiscounts()).isEqualTo("7.40");
        assertThat(avro.getTotal()).isEqualTo("132.400");
        assertThat(AvroCodec.fromAvro(avro).discounts()).isEqualTo(session.discounts());
    }

    @Test
    void a_state_record_that_never_had_discounts_reads_as_a_session_without_discounts() {
        // given a record built as before discounts existed: the new fields take their schema defaults
        CustomerSessionState full = AvroCodec.toAvro(CodecFixtures.anonymousEmptySession());
        CustomerSessionState avro = CustomerSessionState.newBuilder()
                .setApplicationId(full.getApplicationId()).setIntegrationId(full.getIntegrationId()).setId(full.getId())
                .setState(full.getState()).setFirstSession(full.getFirstSession())
                .setCartItemTotal(full.getCartItemTotal()).setAdditionalCostTotal(full.getAdditionalCostTotal())
                .setTotal(full.getTotal()).setUpdateCount(full.getUpdateCount()).setCreated(full.getCreated())
                .setUpdated(full.getUpdated())
                .build();

        // when
        CustomerSession session = AvroCodec.fromAvro(avro);

        // then
        assertThat(avro.getDiscounts()).isEmpty();
        assertThat(avro.getTotalDiscounts()).isEqualTo("0");
        assertThat(session.discounts()).isEmpty();
        assertThat(session).isEqualTo(CodecFixtures.anonymousEmptySession());
    }

    @Test
    void a_session_without_discounts_has_total_discounts_0() {
        // when
        CustomerSessionState avro = AvroCodec.toAvro(CodecFixtures.anonymousEmptySession());

        // then
        assertThat(avro.getDiscounts()).isEmpty();
        assertThat(avro.getTotalDiscounts()).isEqualTo("0");
    }

    @Test
    void decimals_keep_their_scale_as_plain_text() {
        // given
        CartItem item = CodecFixtures.fullItem();

        // when
        io.customersessions.avro.CartItem avro = AvroCodec.toAvro(item);

        // then
        assertThat(avro.getPrice()).isEqualTo("12.50");
        assertThat(avro.getWeight()).isEqualTo("0.750");
        assertThat(avro.getLength()).isEqualTo("0.0001");
        assertThat(avro.getAdditionalCosts()).containsEntry("packaging", "1.000");
        assertThat(AvroCodec.fromAvro(avro)).isEqualTo(item);
    }

    @Test
    void unknown_prices_and_measures_stay_null() {
        // given
        CartItem item = CodecFixtures.plainItem();

        // when
        io.customersessions.avro.CartItem avro = AvroBytes.viaLog(AvroCodec.toAvro(item),
                io.customersessions.avro.CartItem.class);

        // then
        assertThat(avro.getPrice()).isNull();
        assertThat(avro.getWeight()).isNull();
        assertThat(avro.getName()).isNull();
        assertThat(AvroCodec.fromAvro(avro)).isEqualTo(item);
    }

    @Test
    void maps_are_handed_to_avro_in_sorted_key_order() {
        // given
        CustomerSession session = CodecFixtures.fullSession();

        // when
        CustomerSessionState avro = AvroCodec.toAvro(session);

        // then
        assertThat(avro.getAttributes().keySet()).containsExactly("channel", "nested", "tags");
        assertThat(avro.getAdditionalCosts().keySet()).containsExactly("insurance", "shipping");
        assertThat(avro.getDiscounts().keySet()).containsExactly("free shipping", "shoes 10%", "welcome/voucher");
        assertThat(avro.getCartItems().get(0).getAttributes().keySet()).containsExactly("color", "gift", "meta", "sizes");
    }

    @Test
    void lists_keep_their_order() {
        // given
        CustomerSession session = CodecFixtures.fullSession();

        // when
        CustomerSessionState avro = AvroCodec.toAvro(session);

        // then
        assertThat(avro.getEvaluableCampaignIds()).containsExactly(3L, 1L, 2L);
        assertThat(avro.getCartItems()).extracting(io.customersessions.avro.CartItem::getSku)
                .containsExactly("SKU-1", "SKU-2");
    }

    @Test
    void sub_millisecond_times_are_cut_to_the_milliseconds_the_log_keeps() {
        // given
        Instant precise = Instant.parse("2024-05-01T10:15:30.123456789Z");
        CustomerSession session = new CustomerSession(KEY, 1L, "", null, null, null, null, null, SessionState.OPEN,
                null, null, null, null, true, 1, precise, precise);

        // when
        CustomerSessionState avro = AvroCodec.toAvro(session);

        // then
        assertThat(avro.getCreated()).isEqualTo(Instant.parse("2024-05-01T10:15:30.123Z"));
        assertThat(AvroBytes.viaLog(avro, CustomerSessionState.class)).isEqualTo(avro);
    }

    @Test
    void not_given_changes_stay_null_and_empty_changes_stay_empty() {
        // given
        SessionChanges none = SessionChanges.NONE;
        SessionChanges empty = CodecFixtures.emptyButGivenChanges();

        // when
        io.customersessions.avro.SessionChanges noneAvro = AvroBytes.viaLog(AvroCodec.toAvro(none),
                io.customersessions.avro.SessionChanges.class);
        io.customersessions.avro.SessionChanges emptyAvro = AvroBytes.viaLog(AvroCodec.toAvro(empty),
                io.customersessions.avro.SessionChanges.class);

        // then
        assertThat(noneAvro.getCouponCodes()).isNull();
        assertThat(noneAvro.getAttributes()).isNull();
        assertThat(noneAvro.getFirstSession()).isNull();
        assertThat(emptyAvro.getCouponCodes()).isEmpty();
        assertThat(emptyAvro.getAttributes()).isEmpty();
        assertThat(emptyAvro.getReferralCode()).isEmpty();
        assertThat(AvroCodec.fromAvro(noneAvro)).isEqualTo(none);
        assertThat(AvroCodec.fromAvro(emptyAvro)).isEqualTo(empty);
    }

    static List<SessionEvent> everyEventType() {
        return CodecFixtures.everyEventType();
    }

    @ParameterizedTest
    @MethodSource("everyEventType")
    void every_event_type_survives_the_log_unchanged(SessionEvent event) {
        // when
        io.customersessions.avro.SessionEvent avro = AvroBytes.viaLog(AvroCodec.toAvro(event),
                io.customersessions.avro.SessionEvent.class);

        // then
        assertThat(AvroCodec.fromAvro(avro)).isEqualTo(event);
        assertThat(avro.getEventId()).isEqualTo("cmd-1/0");
        assertThat(avro.getApplicationId()).isEqualTo(7L);
        assertThat(avro.getIntegrationId()).isEqualTo("checkout:2024/0001");
    }

    @Test
    void states_in_events_use_talon_wire_names() {
        // given
        SessionEvent revoked = new SessionEvent.SessionRevoked(META, SessionState.PARTIALLY_RETURNED);
        SessionEvent created = new SessionEvent.SessionCreated(META, 1L, SessionState.CLOSED, SessionChanges.NONE);

        // when
        Object revokedPayload = AvroCodec.toAvro(revoked).getPayload();
        Object createdPayload = AvroCodec.toAvro(created).getPayload();

        // then
        assertThat(((io.customersessions.avro.SessionRevoked) revokedPayload).getFromState())
                .isEqualTo("partially_returned");
        assertThat(((io.customersessions.avro.SessionCreated) createdPayload).getState()).isEqualTo("closed");
    }

    static List<SessionCommand> everyCommandType() {
        return CodecFixtures.everyCommandType();
    }

    @ParameterizedTest
    @MethodSource("everyCommandType")
    void every_command_type_survives_the_log_unchanged(SessionCommand command) {
        // when
        io.customersessions.avro.SessionCommand avro = AvroBytes.viaLog(AvroCodec.toAvro(command),
                io.customersessions.avro.SessionCommand.class);

        // then
        assertThat(AvroCodec.fromAvro(avro)).isEqualTo(command);
        assertThat(avro.getExpectedUpdateCount()).isEqualTo(command.expectedUpdateCount());
    }

    @Test
    void an_upsert_without_a_requested_state_has_null_on_the_wire_and_one_with_it_the_wire_name() {
        // given
        SessionCommand keep = new SessionCommand.UpsertSession("c1", KEY, CREATED, null, Optional.empty(), null);
        SessionCommand close = new SessionCommand.UpsertSession("c2", KEY, CREATED, null,
                Optional.of(SessionState.CANCELLED), null);

        // when
        Object keepPayload = AvroCodec.toAvro(keep).getPayload();
        Object closePayload = AvroCodec.toAvro(close).getPayload();

        // then
        assertThat(((io.customersessions.avro.UpsertSession) keepPayload).getRequestedState()).isNull();
        assertThat(((io.customersessions.avro.UpsertSession) closePayload).getRequestedState()).isEqualTo("cancelled");
    }

    @Test
    void a_return_keeps_its_idempotency_key_on_the_wire_and_a_return_without_one_has_null() {
        // given
        SessionCommand keyed = new SessionCommand.ReturnItems("c1", KEY, CREATED, null,
                List.of(new ReturnedItem(0, 1)), "return-42");
        SessionCommand plain = new SessionCommand.ReturnItems("c2", KEY, CREATED, null,
                List.of(new ReturnedItem(0, 1)));
        SessionEvent returned = new SessionEvent.SessionPartiallyReturned(META, List.of(new ReturnedItem(0, 1)),
                "return-42");

        // when
        Object keyedPayload = AvroBytes.viaLog(AvroCodec.toAvro(keyed),
                io.customersessions.avro.SessionCommand.class).getPayload();
        Object plainPayload = AvroBytes.viaLog(AvroCodec.toAvro(plain),
                io.customersessions.avro.SessionCommand.class).getPayload();
        Object eventPayload = AvroBytes.viaLog(AvroCodec.toAvro(returned),
                io.customersessions.avro.SessionEvent.class).getPayload();

        // then
        assertThat(((io.customersessions.avro.ReturnItems) keyedPayload).getIdempotencyKey()).isEqualTo("return-42");
        assertThat(((io.customersessions.avro.ReturnItems) plainPayload).getIdempotencyKey()).isNull();
        assertThat(((io.customersessions.avro.SessionPartiallyReturned) eventPayload).getIdempotencyKey())
                .isEqualTo("return-42");
    }

    @Test
    void set_discounts_and_discounts_set_carry_the_discounts_as_plain_decimal_text() {
        // given
        SessionCommand command = new SessionCommand.SetDiscounts("c1", KEY, CREATED, 2, CodecFixtures.discounts());
        SessionEvent event = new SessionEvent.SessionDiscountsSet(META, CodecFixtures.discounts());

        // when
        Object commandPayload = AvroCodec.toAvro(command).getPayload();
        Object eventPayload = AvroCodec.toAvro(event).getPayload();

        // then
        Map<String, String> expected = Map.of("free shipping", "4.90", "shoes 10%", "2.50", "welcome/voucher", "0");
        assertThat(((io.customersessions.avro.SetDiscounts) commandPayload).getDiscounts()).isEqualTo(expected);
        assertThat(((io.customersessions.avro.SessionDiscountsSet) eventPayload).getDiscounts()).isEqualTo(expected);
    }

    @Test
    void a_malformed_discount_is_an_error_naming_the_label() {
        // given
        io.customersessions.avro.SessionEvent avro = AvroCodec.toAvro(
                new SessionEvent.SessionDiscountsSet(META, CodecFixtures.discounts()));
        ((io.customersessions.avro.SessionDiscountsSet) avro.getPayload())
                .setDiscounts(new TreeMap<>(Map.of("shoes 10%", "2,50")));

        // when / then
        assertThatThrownBy(() -> AvroCodec.fromAvro(avro))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SessionDiscountsSet.discounts.shoes 10%")
                .hasMessageContaining("2,50");
    }

    @Test
    void redact_personal_data_and_session_redacted_carry_who_asked_through_the_log() {
        // given
        SessionCommand command = new SessionCommand.RedactPersonalData("c1", KEY, CREATED, null,
                "integration-api-key:0123456789ab", "alice");
        SessionEvent event = new SessionEvent.SessionRedacted(META, "integration-api-key:0123456789ab");

        // when
        io.customersessions.avro.SessionCommand avroCommand = AvroBytes.viaLog(AvroCodec.toAvro(command),
                io.customersessions.avro.SessionCommand.class);
        io.customersessions.avro.SessionEvent avroEvent = AvroBytes.viaLog(AvroCodec.toAvro(event),
                io.customersessions.avro.SessionEvent.class);

        // then
        assertThat(((io.customersessions.avro.RedactPersonalData) avroCommand.getPayload()).getRequestedBy())
                .isEqualTo("integration-api-key:0123456789ab");
        assertThat(((io.customersessions.avro.SessionRedacted) avroEvent.getPayload()).getRequestedBy())
                .isEqualTo("integration-api-key:0123456789ab");
        assertThat(((io.customersessions.avro.RedactPersonalData) avroCommand.getPayload()).getErasedProfileId())
                .isEqualTo("alice");
        assertThat(AvroCodec.fromAvro(avroCommand)).isEqualTo(command);
        assertThat(AvroCodec.fromAvro(avroEvent)).isEqualTo(event);
    }

    @Test
    void an_accepted_outcome_of_set_discounts_names_our_discounts_set_event() {
        // given
        CustomerSession after = CodecFixtures.fullSession();
        List<SessionEvent> events = List.of(new SessionEvent.SessionDiscountsSet(META, CodecFixtures.discounts()));

        // when
        CommandOutcome outcome = AvroBytes.viaLog(AvroCodec.acceptedOutcome("cmd-1", KEY, events, after),
                CommandOutcome.class);

        // then
        assertThat(outcome.getEventTypes()).containsExactly("talon_session_discounts_set");
        assertThat(outcome.getSession().getTotalDiscounts()).isEqualTo("7.40");
    }

    @Test
    void an_accepted_outcome_names_the_talon_events_and_carries_the_new_state() {
        // given
        CustomerSession after = CodecFixtures.fullSession();
        List<SessionEvent> events = List.of(new SessionEvent.SessionClosed(META, SessionChanges.NONE));

        // when
        CommandOutcome outcome = AvroBytes.viaLog(AvroCodec.acceptedOutcome("cmd-1", KEY, events, after),
                CommandOutcome.class);

        // then
        assertThat(outcome.getAccepted()).isTrue();
        assertThat(outcome.getCommandId()).isEqualTo("cmd-1");
        assertThat(outcome.getApplicationId()).isEqualTo(7L);
        assertThat(outcome.getIntegrationId()).isEqualTo("checkout:2024/0001");
        assertThat(outcome.getEventTypes()).containsExactly("talon_session_closed");
        assertThat(outcome.getRejection()).isNull();
        assertThat(AvroCodec.fromAvro(outcome.getSession())).isEqualTo(after);
    }

    @Test
    void a_rejected_outcome_carries_the_rejection_and_the_unchanged_state() {
        // given
        CustomerSession current = CodecFixtures.fullSession();
        Rejection rejection = CodecFixtures.invalidInput();

        // when
        CommandOutcome outcome = AvroBytes.viaLog(
                AvroCodec.rejectedOutcome("cmd-2", KEY, rejection, Optional.of(current)), CommandOutcome.class);

        // then
        assertThat(outcome.getAccepted()).isFalse();
        assertThat(outcome.getEventTypes()).isEmpty();
        assertThat(outcome.getRejection().getReason()).isEqualTo("INVALID_INPUT");
        assertThat(AvroCodec.fromAvro(outcome.getRejection())).isEqualTo(rejection);
        assertThat(AvroCodec.fromAvro(outcome.getSession())).isEqualTo(current);
    }

    @Test
    void a_rejected_outcome_for_a_missing_session_has_no_state() {
        // given
        Rejection rejection = Rejection.of(Rejection.Reason.NOT_FOUND, "customer session 'x' does not exist");

        // when
        CommandOutcome outcome = AvroBytes.viaLog(
                AvroCodec.rejectedOutcome("cmd-3", KEY, rejection, Optional.empty()), CommandOutcome.class);

        // then
        assertThat(outcome.getSession()).isNull();
        assertThat(AvroCodec.fromAvro(outcome.getRejection())).isEqualTo(rejection);
    }

    @Test
    void an_unknown_state_name_in_a_state_record_is_an_error_naming_the_field() {
        // given
        CustomerSessionState avro = AvroCodec.toAvro(CodecFixtures.fullSession());
        avro.setState("archived");

        // when / then
        assertThatThrownBy(() -> AvroCodec.fromAvro(avro))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CustomerSessionState.state")
                .hasMessageContaining("archived");
    }

    @Test
    void an_unknown_state_name_in_an_event_is_an_error_naming_the_field() {
        // given
        io.customersessions.avro.SessionEvent avro =
                AvroCodec.toAvro(new SessionEvent.SessionRevoked(META, SessionState.CLOSED));
        ((io.customersessions.avro.SessionRevoked) avro.getPayload()).setFromState("PARTIALLY_RETURNED");

        // when / then
        assertThatThrownBy(() -> AvroCodec.fromAvro(avro))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SessionRevoked.fromState");
    }

    @Test
    void an_unknown_requested_state_in_a_command_is_an_error_naming_the_field() {
        // given
        io.customersessions.avro.SessionCommand avro = AvroCodec.toAvro(
                new SessionCommand.UpsertSession("c1", KEY, CREATED, null, Optional.empty(), null));
        ((io.customersessions.avro.UpsertSession) avro.getPayload()).setRequestedState("reopened");

        // when / then
        assertThatThrownBy(() -> AvroCodec.fromAvro(avro))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UpsertSession.requestedState");
    }

    @Test
    void a_malformed_price_is_an_error_naming_the_field() {
        // given
        io.customersessions.avro.CartItem avro = AvroCodec.toAvro(CodecFixtures.fullItem());
        avro.setPrice("12,50");

        // when / then
        assertThatThrownBy(() -> AvroCodec.fromAvro(avro))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CartItem.price")
                .hasMessageContaining("12,50");
    }

    @Test
    void a_decimal_in_exponent_form_is_not_plain_text_and_is_rejected_naming_the_cost() {
        // given
        io.customersessions.avro.SessionChanges avro = AvroCodec.toAvro(CodecFixtures.fullChanges());
        avro.setAdditionalCosts(new TreeMap<>(Map.of("shipping", "1E+3")));

        // when / then
        assertThatThrownBy(() -> AvroCodec.fromAvro(avro))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SessionChanges.additionalCosts.shipping");
    }

    @Test
    void an_unknown_rejection_reason_is_an_error_naming_the_field() {
        // given
        io.customersessions.avro.Rejection avro = AvroCodec.toAvro(CodecFixtures.invalidInput());
        avro.setReason("TEAPOT");

        // when / then
        assertThatThrownBy(() -> AvroCodec.fromAvro(avro))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Rejection.reason")
                .hasMessageContaining("TEAPOT");
    }

    @Test
    void an_unknown_payload_type_is_an_error_naming_the_field() {
        // given
        io.customersessions.avro.SessionEvent avro = AvroCodec.toAvro(new SessionEvent.SessionReopened(META));
        avro.setPayload(new io.customersessions.avro.ReopenSession());

        // when / then
        assertThatThrownBy(() -> AvroCodec.fromAvro(avro))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SessionEvent.payload");
    }
}
