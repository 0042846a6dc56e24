package io.customersessions.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.customersessions.domain.Commands.attributes;
import static io.customersessions.domain.Commands.costs;
import static io.customersessions.domain.Commands.redact;
import static io.customersessions.domain.Commands.returnItems;
import static io.customersessions.domain.Commands.returned;
import static io.customersessions.domain.Commands.setDiscounts;
import static io.customersessions.domain.Commands.upsert;
import static io.customersessions.domain.Sessions.decide;
import static io.customersessions.domain.Sessions.event;
import static io.customersessions.domain.Sessions.given;
import static org.assertj.core.api.Assertions.assertThat;

/** What erasure removes from a session, what it keeps for accounting, and how it treats the history's events. */
class PersonalDataTest {

    private static final CartItem PERSONAL_LINE = new CartItem("Merino socks", "SOCK-M", 2, 0,
            new BigDecimal("12.99"), "apparel", "socks", new BigDecimal("0.2"), null, null, null,
            attributes("engraving", "\"For Alice\""), costs("gift wrap", "1.50"));

    private static final CartItem LINE_WITHOUT_ATTRIBUTES = new CartItem("Merino socks", "SOCK-M", 2, 0,
            new BigDecimal("12.99"), "apparel", "socks", new BigDecimal("0.2"), null, null, null, null,
            costs("gift wrap", "1.50"));

    private static CustomerSession personalSession() {
        return given(
                upsert().profile("alice").store("berlin-1").campaigns(3L).coupons("WELCOME10").referral("FRIEND")
                        .loyaltyCards("card-1").cart(PERSONAL_LINE).additionalCosts(costs("shipping", "4.95"))
                        .identifiers("alice@example.com").attributes(attributes("shippingCity", "\"Berlin\""))
                        .build(),
                setDiscounts("WELCOME10", "2.60"),
                upsert().state(SessionState.CLOSED).build(),
                returnItems(returned(0, 1)));
    }

    @Test
    void redaction_removes_profile_identifiers_attributes_loyalty_cards_and_item_attributes() {
        // given
        CustomerSession session = personalSession();

        // when
        CustomerSession redacted = SessionDecider.evolve(Optional.of(session), event(decide(session, redact())));

        // then
        assertThat(redacted.profileId()).isEmpty();
        assertThat(redacted.identifiers()).isEmpty();
        assertThat(redacted.attributes()).isEmpty();
        assertThat(redacted.loyaltyCards()).isEmpty();
        assertThat(redacted.cartItems()).singleElement().satisfies(line -> assertThat(line.attributes()).isEmpty());
    }

    @Test
    void redaction_keeps_everything_accounting_needs() {
        // given
        CustomerSession session = personalSession();

        // when
        CustomerSession redacted = SessionDecider.evolve(Optional.of(session), event(decide(session, redact())));

        // then
        assertThat(redacted).usingRecursiveComparison()
                .ignoringFields("profileId", "identifiers", "attributes", "loyaltyCards", "cartItems.attributes",
                        "updateCount")
                .isEqualTo(session);
        assertThat(redacted.updateCount()).isEqualTo(session.updateCount() + 1);
        CartItem line = redacted.cartItems().get(0);
        assertThat(line.sku()).isEqualTo("SOCK-M");
        assertThat(line.returnedQuantity()).isEqualTo(1);
        assertThat(redacted.total()).isEqualByComparingTo("19.44");
        assertThat(redacted.totalDiscounts()).isEqualByComparingTo("2.60");
        assertThat(redacted.couponCodes()).containsExactly("WELCOME10");
        assertThat(redacted.referralCode()).isEqualTo("FRIEND");
        assertThat(redacted.storeIntegrationId()).isEqualTo("berlin-1");
    }

    @Test
    void a_redacted_session_can_get_a_profile_again_later() {
        // given
        CustomerSession redacted = given(given(upsert().profile("alice").build()), redact());

        // when
        CustomerSession updated = given(redacted, upsert().profile("bob").build());

        // then
        assertThat(updated.profileId()).isEqualTo("bob");
    }

    @Test
    void redacted_changes_say_what_was_given_but_not_its_value() {
        // given
        SessionChanges changes = new SessionChanges("alice", "berlin-1", List.of(3L), List.of("WELCOME10"), "FRIEND",
                List.of("card-1"), List.of(PERSONAL_LINE), costs("shipping", "4.95"), List.of("alice@example.com"),
                attributes("shippingCity", "\"Berlin\""), true);

        // when
        SessionChanges redacted = PersonalData.redact(changes);

        // then
        assertThat(redacted).isEqualTo(new SessionChanges("", "berlin-1", List.of(3L), List.of("WELCOME10"),
                "FRIEND", List.of(), List.of(LINE_WITHOUT_ATTRIBUTES), costs("shipping", "4.95"), List.of(),
                new TreeMap<>(), true));
        assertThat(PersonalData.redact(SessionChanges.NONE)).isEqualTo(SessionChanges.NONE);
    }

    @Test
    void events_without_changes_carry_no_personal_data_and_are_kept_as_they_are() {
        // given
        CustomerSession closed = personalSession();
        SessionEvent returnedEvent = event(decide(closed, returnItems("return-1", returned(0, 1))));

        // when
        SessionEvent redacted = PersonalData.redact(returnedEvent);

        // then
        assertThat(redacted).isSameAs(returnedEvent);
    }

    @Test
    void a_redacted_creation_keeps_its_meta_id_and_state() {
        // given
        SessionEvent created = event(Sessions.decideNew(upsert().profile("alice")
                .attributes(attributes("vip", "true")).build()));

        // when
        SessionEvent.SessionCreated redacted = (SessionEvent.SessionCreated) PersonalData.redact(created);

        // then
        SessionEvent.SessionCreated original = (SessionEvent.SessionCreated) created;
        assertThat(redacted.meta()).isEqualTo(original.meta());
        assertThat(redacted.sessionId()).isEqualTo(original.sessionId());
        assertThat(redacted.state()).isEqualTo(original.state());
        assertThat(redacted.changes().profileId()).isEmpty();
        assertThat(redacted.changes().attributes()).isEqualTo(Map.of());
    }
}
