package io.customersessions.eventlog.serde;

import io.customersessions.avro.CartItem;
import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.Rejection;
import io.customersessions.avro.ReopenSession;
import io.customersessions.avro.ReturnItems;
import io.customersessions.avro.ReturnedItem;
import io.customersessions.avro.SessionCancelled;
import io.customersessions.avro.SessionChanges;
import io.customersessions.avro.SessionClosed;
import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.SessionCreated;
import io.customersessions.avro.SessionEvent;
import io.customersessions.avro.SessionPartiallyReturned;
import io.customersessions.avro.SessionReopened;
import io.customersessions.avro.SessionRevoked;
import io.customersessions.avro.SessionUpdated;
import io.customersessions.avro.UpsertSession;
import io.customersessions.avro.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Instances of the generated contract classes, built with their builders, with every optional part filled. */
final class ContractRecords {

    static final Instant TIME = Instant.ofEpochMilli(1_767_225_600_123L);

    private ContractRecords() {
    }

    static CartItem cartItem() {
        return CartItem.newBuilder()
                .setName("Shoe").setSku("SKU-1").setQuantity(3).setReturnedQuantity(1).setPrice("12.50")
                .setCategory("shoes").setProductName("Runner").setWeight("1.2").setHeight("10").setWidth("20")
                .setLength("30").setAttributes(Map.of("color", "\"red\"")).setAdditionalCosts(Map.of("shipping", "1.00"))
                .build();
    }

    static SessionChanges changes() {
        return SessionChanges.newBuilder()
                .setProfileId("profile-1").setStoreIntegrationId("store-1").setEvaluableCampaignIds(List.of(7L, 8L))
                .setCouponCodes(List.of("SUMMER")).setReferralCode("REF").setLoyaltyCards(List.of("card-1"))
                .setCartItems(List.of(cartItem())).setAdditionalCosts(Map.of("packaging", "0.50"))
                .setIdentifiers(List.of("device-1")).setAttributes(Map.of("channel", "\"web\"")).setFirstSession(true)
                .build();
    }

    static SessionEvent event(Object payload) {
        return SessionEvent.newBuilder()
                .setEventId("cmd-1/0").setCommandId("cmd-1").setApplicationId(42L).setIntegrationId("session-1")
                .setTime(TIME).setPayload(payload)
                .build();
    }

    /** One event of every payload type. */
    static List<SessionEvent> eventsOfEveryType() {
        return List.of(
                event(SessionCreated.newBuilder().setSessionId(1001L).setState("open").setChanges(changes()).build()),
                event(SessionUpdated.newBuilder().setChanges(changes()).build()),
                event(SessionClosed.newBuilder().setChanges(changes()).build()),
                event(SessionCancelled.newBuilder().setChanges(changes()).build()),
                event(SessionRevoked.newBuilder().setFromState("closed").build()),
                event(SessionPartiallyReturned.newBuilder()
                        .setReturnedItems(List.of(ReturnedItem.newBuilder().setPosition(0).setQuantity(1).build()))
                        .build()),
                event(SessionReopened.newBuilder().build()));
    }

    static SessionCommand command(Object payload) {
        return SessionCommand.newBuilder()
                .setCommandId("cmd-1").setApplicationId(42L).setIntegrationId("session-1").setTime(TIME)
                .setExpectedUpdateCount(3).setPayload(payload)
                .build();
    }

    /** One command of every payload type. */
    static List<SessionCommand> commandsOfEveryType() {
        return List.of(
                command(UpsertSession.newBuilder().setRequestedState("closed").setChanges(changes()).build()),
                command(ReturnItems.newBuilder()
                        .setReturnedItems(List.of(ReturnedItem.newBuilder().setPosition(0).setQuantity(2).build()))
                        .build()),
                command(ReopenSession.newBuilder().build()));
    }

    static CustomerSessionState state() {
        return CustomerSessionState.newBuilder()
                .setApplicationId(42L).setIntegrationId("session-1").setId(1001L).setProfileId("profile-1")
                .setStoreIntegrationId("store-1").setEvaluableCampaignIds(List.of(7L)).setCouponCodes(List.of("SUMMER"))
                .setReferralCode("REF").setLoyaltyCards(List.of("card-1")).setState("open")
                .setCartItems(List.of(cartItem())).setAdditionalCosts(Map.of("packaging", "0.50"))
                .setIdentifiers(List.of("device-1")).setAttributes(Map.of("channel", "\"web\"")).setFirstSession(true)
                .setCartItemTotal("25.00").setAdditionalCostTotal("0.50").setTotal("27.50").setUpdateCount(4)
                .setCreated(TIME).setUpdated(TIME.plusMillis(5_000))
                .build();
    }

    static CommandOutcome acceptedOutcome() {
        return CommandOutcome.newBuilder()
                .setCommandId("cmd-1").setApplicationId(42L).setIntegrationId("session-1").setAccepted(true)
                .setEventTypes(List.of("talon_session_updated")).setSession(state())
                .build();
    }

    static CommandOutcome rejectedOutcome() {
        return CommandOutcome.newBuilder()
                .setCommandId("cmd-2").setApplicationId(42L).setIntegrationId("session-1").setAccepted(false)
                .setRejection(Rejection.newBuilder().setReason("INVALID_INPUT").setMessage("bad cart")
                        .setViolations(List.of(Violation.newBuilder().setPointer("/cartItems/0/quantity")
                                .setTitle("must be positive").setDetails("was -1").build()))
                        .build())
                .build();
    }
}
