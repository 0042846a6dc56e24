package io.customersessions.eventlog.codec;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.avro.Violation;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.CustomerSession;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionEvent.EventMeta;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The one mapping between the pure domain and the Avro contract ({@code io.customersessions.avro}).
 * All {@code toAvro} methods come first, then all {@code fromAvro} methods.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Determinism: equal domain values give equal Avro objects and so byte-identical Avro binary. Maps are
 *       handed to Avro as {@link TreeMap}s (the writer emits entries in iteration order, so sorted); lists keep
 *       their order.</li>
 *   <li>Decimals are plain decimal text ({@link BigDecimal#toPlainString()}) and keep their scale: "12.50" reads
 *       back as 12.50. A negative scale (1E+3) is written as "1000" and reads back with scale 0 (equal by
 *       {@code compareTo}, not by {@code equals}).</li>
 *   <li>Times are timestamp-millis on the wire, so instants are truncated to milliseconds here already: an
 *       Avro object equals what the log gives back after encoding it.</li>
 *   <li>In {@link SessionChanges} null means "not given" and stays null both ways.</li>
 *   <li>A record that does not fit the domain (unknown state or reason, malformed decimal, unknown payload)
 *       is a bug or a corrupt log, not a user error: {@link IllegalArgumentException} naming the field.</li>
 * </ul>
 */
public final class AvroCodec {

    /** What {@link BigDecimal#toPlainString()} produces: no exponent, no '+'. */

    private AvroCodec() {
    }

    // ---------------------------------------------------------------- domain → Avro

    /**
     * The folded state, with its derived totals (discounts included) as decimal text. The record shares the
     * session's lists and maps, which are immutable (and sorted where a map's order is written): the record is
     * written, compared or read, never changed. Built with the all-arguments constructor rather than a builder: every
     * state written goes through here (store, state topic, outcome, replay).
     */
    public static CustomerSessionState toAvro(CustomerSession s) {
        CustomerSession.Totals totals = s.totals();
        return new CustomerSessionState(
                s.key().applicationId(),
                s.key().integrationId(),
                s.id(),
                s.profileId(),
                s.storeIntegrationId(),
                s.evaluableCampaignIds(),
                s.couponCodes(),
                s.referralCode(),
                s.loyaltyCards(),
                s.state().wireName(),
                mapList(s.cartItems(), AvroCodec::toAvro),
                decimalTexts(s.additionalCosts(), "CustomerSession.additionalCosts"),
                s.identifiers(),
                s.attributes(),
                s.firstSession(),
                totals.cartItemTotal().toPlainString(),
                totals.additionalCostTotal().toPlainString(),
                totals.total().toPlainString(),
                s.updateCount(),
                millis(s.created()),
                millis(s.updated()),
                decimalTexts(s.discounts(), "CustomerSession.discounts"),
                s.totalDiscounts().toPlainString());
    }

    public static io.customersessions.avro.SessionEvent toAvro(SessionEvent event) {
        EventMeta meta = event.meta();
        return io.customersessions.avro.SessionEvent.newBuilder()
                .setEventId(meta.eventId())
                .setCommandId(meta.commandId())
                .setApplicationId(meta.key().applicationId())
                .setIntegrationId(meta.key().integrationId())
                .setTime(millis(meta.time()))
                .setPayload(eventPayload(event))
                .build();
    }

    private static Object eventPayload(SessionEvent event) {
        if (event instanceof SessionEvent.SessionCreated created) {
            return new io.customersessions.avro.SessionCreated(created.sessionId(), created.state().wireName(),
                    toAvro(created.changes()));
        }
        if (event instanceof SessionEvent.SessionUpdated updated) {
            return new io.customersessions.avro.SessionUpdated(toAvro(updated.changes()));
        }
        if (event instanceof SessionEvent.SessionClosed closed) {
            return new io.customersessions.avro.SessionClosed(toAvro(closed.changes()));
        }
        if (event instanceof SessionEvent.SessionCancelled cancelled) {
            return new io.customersessions.avro.SessionCancelled(toAvro(cancelled.changes()));
        }
        if (event instanceof SessionEvent.SessionRevoked revoked) {
            return new io.customersessions.avro.SessionRevoked(revoked.fromState().wireName());
        }
        if (event instanceof SessionEvent.SessionPartiallyReturned returned) {
            return new io.customersessions.avro.SessionPartiallyReturned(
                    mapList(returned.returnedItems(), AvroCodec::toAvro), returned.idempotencyKey());
        }
        if (event instanceof SessionEvent.SessionReopened) {
            return new io.customersessions.avro.SessionReopened();
        }
        if (event instanceof SessionEvent.SessionDiscountsSet discountsSet) {
            return new io.customersessions.avro.SessionDiscountsSet(
                    decimalTexts(discountsSet.discounts(), "SessionDiscountsSet.discounts"));
        }
        if (event instanceof SessionEvent.SessionRedacted redacted) {
            return new io.customersessions.avro.SessionRedacted(redacted.requestedBy());
        }
        throw new IllegalStateException("no Avro mapping for event type " + event.getClass().getName());
    }

    public static io.customersessions.avro.SessionCommand toAvro(SessionCommand command) {
        return io.customersessions.avro.SessionCommand.newBuilder()
                .setCommandId(command.commandId())
                .setApplicationId(command.key().applicationId())
                .setIntegrationId(command.key().integrationId())
                .setTime(millis(command.time()))
                .setExpectedUpdateCount(command.expectedUpdateCount())
                .setPayload(commandPayload(command))
                .build();
    }

    private static Object commandPayload(SessionCommand command) {
        if (command instanceof SessionCommand.UpsertSession upsert) {
            return new io.customersessions.avro.UpsertSession(
                    upsert.requestedState().map(SessionState::wireName).orElse(null), toAvro(upsert.changes()),
                    upsert.idempotencyKey());
        }
        if (command instanceof SessionCommand.ReturnItems returnItems) {
            return new io.customersessions.avro.ReturnItems(mapList(returnItems.returnedItems(), AvroCodec::toAvro),
                    returnItems.idempotencyKey());
        }
        if (command instanceof SessionCommand.ReopenSession) {
            return new io.customersessions.avro.ReopenSession();
        }
        if (command instanceof SessionCommand.SetDiscounts setDiscounts) {
            return new io.customersessions.avro.SetDiscounts(
                    decimalTexts(setDiscounts.discounts(), "SetDiscounts.discounts"));
        }
        if (command instanceof SessionCommand.RedactPersonalData redact) {
            return new io.customersessions.avro.RedactPersonalData(redact.requestedBy(), redact.erasedProfileId());
        }
        throw new IllegalStateException("no Avro mapping for command type " + command.getClass().getName());
    }

    /** Every null field stays null: null means "not given". */
    public static io.customersessions.avro.SessionChanges toAvro(SessionChanges c) {
        return io.customersessions.avro.SessionChanges.newBuilder()
                .setProfileId(c.profileId())
                .setStoreIntegrationId(c.storeIntegrationId())
                .setEvaluableCampaignIds(copyOrNull(c.evaluableCampaignIds()))
                .setCouponCodes(copyOrNull(c.couponCodes()))
                .setReferralCode(c.referralCode())
                .setLoyaltyCards(copyOrNull(c.loyaltyCards()))
                .setCartItems(c.cartItems() == null ? null : mapList(c.cartItems(), AvroCodec::toAvro))
                .setAdditionalCosts(c.additionalCosts() == null ? null
                        : decimalTexts(c.additionalCosts(), "SessionChanges.additionalCosts"))
                .setIdentifiers(copyOrNull(c.identifiers()))
                .setAttributes(c.attributes() == null ? null : new TreeMap<>(c.attributes()))
                .setFirstSession(c.firstSession())
                .build();
    }

    /** Shares the item's attributes, as {@link #toAvro(CustomerSession)} shares the session's. */
    public static io.customersessions.avro.CartItem toAvro(CartItem item) {
        return new io.customersessions.avro.CartItem(
                item.name(),
                item.sku(),
                item.quantity(),
                item.returnedQuantity(),
                textOrNull(item.price()),
                item.category(),
                item.productName(),
                textOrNull(item.weight()),
                textOrNull(item.height()),
                textOrNull(item.width()),
                textOrNull(item.length()),
                item.attributes(),
                decimalTexts(item.additionalCosts(), "CartItem.additionalCosts"));
    }

    public static io.customersessions.avro.ReturnedItem toAvro(ReturnedItem item) {
        return new io.customersessions.avro.ReturnedItem(item.position(), item.quantity());
    }

    /** {@code reason} is the enum constant's name, e.g. {@code VERSION_MISMATCH}. */
    public static io.customersessions.avro.Rejection toAvro(Rejection rejection) {
        return new io.customersessions.avro.Rejection(rejection.reason().name(), rejection.message(),
                mapList(rejection.violations(), v -> new Violation(v.pointer(), v.title(), v.details())));
    }

    /** {@code eventTypes} are Talon.One's event names of {@code events}, in order; {@code after} is the new state. */
    public static CommandOutcome acceptedOutcome(String commandId, SessionKey key, List<SessionEvent> events,
                                                 CustomerSession after) {
        return CommandOutcome.newBuilder()
                .setCommandId(commandId)
                .setApplicationId(key.applicationId())
                .setIntegrationId(key.integrationId())
                .setAccepted(true)
                .setEventTypes(mapList(events, SessionEvent::talonType))
                .setSession(toAvro(after))
                .setRejection(null)
                .build();
    }

    /** {@code current} is the unchanged state, empty when the session does not exist. */
    public static CommandOutcome rejectedOutcome(String commandId, SessionKey key, Rejection rejection,
                                                 Optional<CustomerSession> current) {
        return CommandOutcome.newBuilder()
                .setCommandId(commandId)
                .setApplicationId(key.applicationId())
                .setIntegrationId(key.integrationId())
                .setAccepted(false)
                .setEventTypes(new ArrayList<>())
                .setSession(current.map(AvroCodec::toAvro).orElse(null))
                .setRejection(toAvro(rejection))
                .build();
    }

    // ---------------------------------------------------------------- Avro → domain

    /** The derived totals in the record are ignored: the domain derives them from items, costs and discounts. */
    public static CustomerSession fromAvro(CustomerSessionState a) {
        return new CustomerSession(
                new SessionKey(a.getApplicationId(), a.getIntegrationId()),
                a.getId(),
                a.getProfileId(),
                a.getStoreIntegrationId(),
                a.getEvaluableCampaignIds(),
                a.getCouponCodes(),
                a.getReferralCode(),
                a.getLoyaltyCards(),
                state(a.getState(), "CustomerSessionState.state"),
                mapList(a.getCartItems(), AvroCodec::fromAvro),
                decimals(a.getAdditionalCosts(), "CustomerSessionState.additionalCosts"),
                a.getIdentifiers(),
                sorted(a.getAttributes()),
                a.getFirstSession(),
                a.getUpdateCount(),
                a.getCreated(),
                a.getUpdated(),
                decimals(a.getDiscounts(), "CustomerSessionState.discounts"));
    }

    public static SessionEvent fromAvro(io.customersessions.avro.SessionEvent a) {
        EventMeta meta = new EventMeta(a.getEventId(), a.getCommandId(),
                new SessionKey(a.getApplicationId(), a.getIntegrationId()), a.getTime());
        Object payload = a.getPayload();
        if (payload instanceof io.customersessions.avro.SessionCreated created) {
            return new SessionEvent.SessionCreated(meta, created.getSessionId(),
                    state(created.getState(), "SessionCreated.state"), fromAvro(created.getChanges()));
        }
        if (payload instanceof io.customersessions.avro.SessionUpdated updated) {
            return new SessionEvent.SessionUpdated(meta, fromAvro(updated.getChanges()));
        }
        if (payload instanceof io.customersessions.avro.SessionClosed closed) {
            return new SessionEvent.SessionClosed(meta, fromAvro(closed.getChanges()));
        }
        if (payload instanceof io.customersessions.avro.SessionCancelled cancelled) {
            return new SessionEvent.SessionCancelled(meta, fromAvro(cancelled.getChanges()));
        }
        if (payload instanceof io.customersessions.avro.SessionRevoked revoked) {
            return new SessionEvent.SessionRevoked(meta, state(revoked.getFromState(), "SessionRevoked.fromState"));
        }
        if (payload instanceof io.customersessions.avro.SessionPartiallyReturned returned) {
            return new SessionEvent.SessionPartiallyReturned(meta,
                    mapList(returned.getReturnedItems(), AvroCodec::fromAvro), returned.getIdempotencyKey());
        }
        if (payload instanceof io.customersessions.avro.SessionReopened) {
            return new SessionEvent.SessionReopened(meta);
        }
        if (payload instanceof io.customersessions.avro.SessionDiscountsSet discountsSet) {
            return new SessionEvent.SessionDiscountsSet(meta,
                    decimals(discountsSet.getDiscounts(), "SessionDiscountsSet.discounts"));
        }
        if (payload instanceof io.customersessions.avro.SessionRedacted redacted) {
            return new SessionEvent.SessionRedacted(meta, redacted.getRequestedBy());
        }
        throw new IllegalArgumentException("SessionEvent.payload: unknown event type " + typeName(payload)
                + " in event " + a.getEventId());
    }

    public static SessionCommand fromAvro(io.customersessions.avro.SessionCommand a) {
        SessionKey key = new SessionKey(a.getApplicationId(), a.getIntegrationId());
        Object payload = a.getPayload();
        if (payload instanceof io.customersessions.avro.UpsertSession upsert) {
            Optional<SessionState> requested = Optional.ofNullable(upsert.getRequestedState())
                    .map(name -> state(name, "UpsertSession.requestedState"));
            return new SessionCommand.UpsertSession(a.getCommandId(), key, a.getTime(), a.getExpectedUpdateCount(),
                    requested, fromAvro(upsert.getChanges()), upsert.getIdempotencyKey());
        }
        if (payload instanceof io.customersessions.avro.ReturnItems returnItems) {
            return new SessionCommand.ReturnItems(a.getCommandId(), key, a.getTime(), a.getExpectedUpdateCount(),
                    mapList(returnItems.getReturnedItems(), AvroCodec::fromAvro), returnItems.getIdempotencyKey());
        }
        if (payload instanceof io.customersessions.avro.ReopenSession) {
            return new SessionCommand.ReopenSession(a.getCommandId(), key, a.getTime(), a.getExpectedUpdateCount());
        }
        if (payload instanceof io.customersessions.avro.SetDiscounts setDiscounts) {
            return new SessionCommand.SetDiscounts(a.getCommandId(), key, a.getTime(), a.getExpectedUpdateCount(),
                    decimals(setDiscounts.getDiscounts(), "SetDiscounts.discounts"));
        }
        if (payload instanceof io.customersessions.avro.RedactPersonalData redact) {
            return new SessionCommand.RedactPersonalData(a.getCommandId(), key, a.getTime(),
                    a.getExpectedUpdateCount(), redact.getRequestedBy(), redact.getErasedProfileId());
        }
        throw new IllegalArgumentException("SessionCommand.payload: unknown command type " + typeName(payload)
                + " in command " + a.getCommandId());
    }

    /** Every null field stays null: null means "not given". */
    public static SessionChanges fromAvro(io.customersessions.avro.SessionChanges a) {
        return new SessionChanges(
                a.getProfileId(),
                a.getStoreIntegrationId(),
                a.getEvaluableCampaignIds(),
                a.getCouponCodes(),
                a.getReferralCode(),
                a.getLoyaltyCards(),
                a.getCartItems() == null ? null : mapList(a.getCartItems(), AvroCodec::fromAvro),
                a.getAdditionalCosts() == null ? null
                        : decimals(a.getAdditionalCosts(), "SessionChanges.additionalCosts"),
                a.getIdentifiers(),
                a.getAttributes() == null ? null : sorted(a.getAttributes()),
                a.getFirstSession());
    }

    public static CartItem fromAvro(io.customersessions.avro.CartItem a) {
        return new CartItem(
                a.getName(),
                a.getSku(),
                a.getQuantity(),
                a.getReturnedQuantity(),
                decimalOrNull(a.getPrice(), "CartItem.price"),
                a.getCategory(),
                a.getProductName(),
                decimalOrNull(a.getWeight(), "CartItem.weight"),
                decimalOrNull(a.getHeight(), "CartItem.height"),
                decimalOrNull(a.getWidth(), "CartItem.width"),
                decimalOrNull(a.getLength(), "CartItem.length"),
                sorted(a.getAttributes()),
                decimals(a.getAdditionalCosts(), "CartItem.additionalCosts"));
    }

    public static ReturnedItem fromAvro(io.customersessions.avro.ReturnedItem a) {
        return new ReturnedItem(a.getPosition(), a.getQuantity());
    }

    public static Rejection fromAvro(io.customersessions.avro.Rejection a) {
        return new Rejection(reason(a.getReason()), a.getMessage(), mapList(a.getViolations(),
                v -> new Rejection.Violation(v.getPointer(), v.getTitle(), v.getDetails())));
    }

    // ---------------------------------------------------------------- helpers

    private static Instant millis(Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS);
    }

    private static <A, B> List<B> mapList(List<A> list, Function<A, B> f) {
        List<B> mapped = new ArrayList<>(list.size());
        list.forEach(element -> mapped.add(f.apply(element)));
        return mapped;
    }

    private static <T> List<T> copyOrNull(List<T> list) {
        return list == null ? null : new ArrayList<>(list);
    }

    private static String textOrNull(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    private static Map<String, String> decimalTexts(SortedMap<String, BigDecimal> map, String field) {
        if (map.isEmpty()) {
            return Collections.emptySortedMap();
        }
        Map<String, String> texts = new TreeMap<>();
        map.forEach((name, value) -> {
            if (value == null) {
                throw new IllegalArgumentException(field + "." + name + ": a decimal is required, got null");
            }
            texts.put(name, value.toPlainString());
        });
        return texts;
    }

    private static <V> SortedMap<String, V> sorted(Map<String, V> map) {
        return new TreeMap<>(map);
    }

    private static SortedMap<String, BigDecimal> decimals(Map<String, String> map, String field) {
        SortedMap<String, BigDecimal> decimals = new TreeMap<>();
        map.forEach((name, text) -> decimals.put(name, decimal(text, field + "." + name)));
        return decimals;
    }

    private static BigDecimal decimalOrNull(String text, String field) {
        return text == null ? null : decimal(text, field);
    }

    private static BigDecimal decimal(String text, String field) {
        if (text == null || !isPlainDecimal(text)) {
            throw new IllegalArgumentException(field + ": malformed decimal '" + text
                    + "'; expected plain decimal text such as 12.50");
        }
        return new BigDecimal(text);
    }

    /** {@code -?[0-9]+(\.[0-9]+)?}, checked by hand: every decimal of every record read passes here. */
    static boolean isPlainDecimal(String text) {
        int i = text.startsWith("-") ? 1 : 0;
        int integerDigits = 0;
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
            integerDigits++;
        }
        if (integerDigits == 0) {
            return false;
        }
        if (i == text.length()) {
            return true;
        }
        if (text.charAt(i) != '.') {
            return false;
        }
        int fractionStart = ++i;
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        return i == text.length() && i > fractionStart;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static SessionState state(String wireName, String field) {
        return SessionState.fromWireName(wireName).orElseThrow(() -> new IllegalArgumentException(
                field + ": unknown session state '" + wireName + "'"));
    }

    private static Rejection.Reason reason(String name) {
        try {
            return Rejection.Reason.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("Rejection.reason: unknown reason '" + name + "'", e);
        }
    }

    private static String typeName(Object payload) {
        return payload == null ? "null" : payload.getClass().getName();
    }
}
