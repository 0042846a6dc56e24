package io.customersessions.domain;

import io.customersessions.domain.Rejection.Reason;
import io.customersessions.domain.Rejection.Violation;
import io.customersessions.domain.SessionCommand.RedactPersonalData;
import io.customersessions.domain.SessionCommand.ReturnItems;
import io.customersessions.domain.SessionCommand.SetDiscounts;
import io.customersessions.domain.SessionCommand.UpsertSession;
import io.customersessions.domain.SessionEvent.EventMeta;
import io.customersessions.domain.SessionEvent.SessionCancelled;
import io.customersessions.domain.SessionEvent.SessionClosed;
import io.customersessions.domain.SessionEvent.SessionCreated;
import io.customersessions.domain.SessionEvent.SessionDiscountsSet;
import io.customersessions.domain.SessionEvent.SessionPartiallyReturned;
import io.customersessions.domain.SessionEvent.SessionRedacted;
import io.customersessions.domain.SessionEvent.SessionReopened;
import io.customersessions.domain.SessionEvent.SessionRevoked;
import io.customersessions.domain.SessionEvent.SessionUpdated;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.customersessions.domain.SessionState.CANCELLED;
import static io.customersessions.domain.SessionState.CLOSED;
import static io.customersessions.domain.SessionState.OPEN;
import static io.customersessions.domain.SessionState.PARTIALLY_RETURNED;

/**
 * The whole behaviour of a customer session: {@link #validate} (stateless checks), {@link #decide}
 * (command + current state → events or a rejection) and {@link #evolve} (state + event → state).
 * Pure functions: no clock, no randomness, no I/O. Every module that folds sessions uses this one.
 *
 * <p>The state machine (Talon.One's customer-session states):
 * <pre>
 *                   upsert                     return                         reopen   set discounts  redact
 *  (none)           create open|closed         404                            404      404            404
 *  open             update, close, cancel      409                            409      discounts set  redacted
 *  closed           cancel (no content change) partially_returned             open     discounts set  redacted
 *  partially_ret.   cancel (no content change) partially_returned (more)      409      409            redacted
 *  cancelled        409 (final)                409                            409      409            redacted
 * </pre>
 * Every accepted command yields exactly one event, so {@code updateCount} counts accepted commands. Erasing
 * personal data is a legal duty, not a change of the sale: it is accepted in every state, cancelled included,
 * and again on an already redacted session.
 */
public final class SessionDecider {

    private SessionDecider() {
    }

    /**
     * Checks that need no state (types aside): limits, required fields, lengths. Every violation found, empty when
     * valid; a {@link Rejection} made of them lists the first hundred.
     */
    public static List<Violation> validate(SessionCommand command) {
        return CommandValidator.validate(command);
    }

    /**
     * Validation comes first (a malformed record on the command topic is rejected, never folded), then a missing
     * session for a command that needs one, then If-Match or If-None-Match, then the state machine, then the
     * session's size. Event times are {@code max(command time, last update)}, so they never go backwards within a
     * session even when clocks of different adapters disagree.
     */
    public static Decision decide(Optional<CustomerSession> state, SessionCommand command, DecisionContext context) {
        return decideAndFold(state, command, context).decision();
    }

    /** A decision, and the session after its events ({@link #evolve}), empty when it is a rejection. */
    public record Decided(Decision decision, Optional<CustomerSession> after) {
    }

    /**
     * {@link #decide}, and the state after the accepted events, folded once: the size limit needs it, and so does
     * the processor, which writes it.
     *
     * <p>Invariant: a session grows only while it stays within {@link SessionLimits#MAX_SESSION_BYTES} ({@link
     * SessionSize}), so that every record the fold writes fits in one Kafka record. Attributes are merged, so many
     * small updates can add up: a command that would take the session over the limit is refused. One that does not
     * make it larger (a close, a smaller cart) is accepted even by a session that is over the limit already.
     */
    public static Decided decideAndFold(Optional<CustomerSession> state, SessionCommand command,
                                        DecisionContext context) {
        Decision decision = decideUnbounded(state, command, context);
        if (!(decision instanceof Decision.Accepted accepted)) {
            return new Decided(decision, Optional.empty());
        }
        Optional<CustomerSession> after = state;
        for (SessionEvent event : accepted.events()) {
            after = Optional.of(evolve(after, event));
        }
        if (!(command instanceof UpsertSession || command instanceof SetDiscounts)) {
            return new Decided(decision, after);
        }
        long size = SessionSize.of(after.orElseThrow());
        if (size <= SessionLimits.MAX_SESSION_BYTES || size <= state.map(SessionSize::of).orElse(0L)) {
            return new Decided(decision, after);
        }
        String pointer = command instanceof SetDiscounts ? "/discounts" : "/customerSession";
        Violation tooLarge = new Violation(pointer, "session too large", "with this change the session would hold "
                + "about " + kib(size) + " KiB; a session holds at most " + kib(SessionLimits.MAX_SESSION_BYTES)
                + " KiB (attributes are kept across updates, so they add up)");
        return new Decided(new Decision.Rejected(new Rejection(Reason.INVALID_INPUT, "session too large",
                List.of(tooLarge))), Optional.empty());
    }

    static long kib(long bytes) {
        return (bytes + 1023) / 1024;
    }

    private static Decision decideUnbounded(Optional<CustomerSession> state, SessionCommand command,
                                            DecisionContext context) {
        List<Violation> violations = validate(command);
        if (!violations.isEmpty()) {
            return new Decision.Rejected(new Rejection(Reason.INVALID_INPUT, "invalid request", violations));
        }
        if (state.isEmpty() && !(command instanceof UpsertSession)) {
            // Before the precondition, as RFC 9110 (13.2.1) asks: without it the answer would be no 2xx either.
            return reject(Reason.NOT_FOUND, "customer session '" + command.key().integrationId() + "' does not exist");
        }
        Integer expected = command.expectedUpdateCount();
        if (expected != null) {
            Optional<Rejection> failed = precondition(expected, state);
            if (failed.isPresent()) {
                return new Decision.Rejected(failed.get());
            }
        }
        Instant time = state.map(s -> later(command.time(), s.updated())).orElse(command.time());
        EventMeta meta = new EventMeta(command.commandId() + "/0", command.commandId(), command.key(), time);
        if (state.isEmpty()) {
            return create((UpsertSession) command, meta, context);
        }
        CustomerSession session = state.get();
        if (command instanceof RedactPersonalData redact) {
            return accept(new SessionRedacted(meta, redact.requestedBy()));
        }
        if (session.state() == CANCELLED) {
            return reject(Reason.FORBIDDEN_TRANSITION,
                    "the session is cancelled, and cancelled is final: it accepts no more changes");
        }
        if (command instanceof UpsertSession upsert) {
            return update(session, upsert, meta, context);
        }
        if (command instanceof ReturnItems returnItems) {
            return returnItems(session, returnItems, meta);
        }
        if (command instanceof SetDiscounts setDiscounts) {
            return setDiscounts(session, setDiscounts, meta);
        }
        return reopen(session, meta);
    }

    /** If-Match (an updateCount, or {@link SessionCommand#EXISTS}) and If-None-Match: * ({@code ABSENT}). */
    private static Optional<Rejection> precondition(int expected, Optional<CustomerSession> state) {
        String current = state.map(s -> "the session's updateCount is " + s.updateCount())
                .orElse("the session does not exist");
        if (expected == SessionCommand.EXISTS) {
            return state.isPresent() ? Optional.empty() : Optional.of(Rejection.of(Reason.VERSION_MISMATCH,
                    "If-Match: * expected an existing session but " + current));
        }
        if (expected == SessionCommand.ABSENT) {
            return state.isEmpty() ? Optional.empty() : Optional.of(Rejection.of(Reason.VERSION_MISMATCH,
                    "If-None-Match: * expected no session but " + current));
        }
        return state.isPresent() && state.get().updateCount() == expected ? Optional.empty()
                : Optional.of(Rejection.of(Reason.VERSION_MISMATCH, "If-Match expected updateCount " + expected
                + " but " + current));
    }

    private static Decision create(UpsertSession upsert, EventMeta meta, DecisionContext context) {
        SessionState target = upsert.requestedState().orElse(OPEN);
        if (target != OPEN && target != CLOSED) {
            return reject(Reason.FORBIDDEN_TRANSITION,
                    "a session can only be created open or closed, not " + target.wireName());
        }
        // Diffing against a blank session normalises the request: values equal to the defaults are dropped.
        SessionChanges changes = diff(blank(upsert.key(), 0, meta.time()), upsert.changes());
        String profileId = changes.profileId() == null ? "" : changes.profileId();
        changes = changes.withFirstSession(firstSession(profileId, upsert.key(), context));
        return accept(new SessionCreated(meta, context.newSessionId(), target, changes));
    }

    private static Decision update(CustomerSession session, UpsertSession upsert, EventMeta meta,
                                   DecisionContext context) {
        SessionChanges changes = diff(session, upsert.changes());
        if (session.state() != OPEN) {
            return settled(session, upsert, changes, meta);
        }
        if (changes.profileId() != null) {
            changes = changes.withFirstSession(firstSession(changes.profileId(), upsert.key(), context));
        }
        return switch (upsert.requestedState().orElse(OPEN)) {
            case OPEN -> accept(new SessionUpdated(meta, changes));
            case CLOSED -> accept(new SessionClosed(meta, changes));
            case CANCELLED -> accept(new SessionCancelled(meta, changes));
            case PARTIALLY_RETURNED -> reject(Reason.FORBIDDEN_TRANSITION,
                    "a session becomes partially_returned only via return cart items, and only once closed");
        };
    }

    /**
     * A closed or partially returned session (never a cancelled one: that is rejected earlier) is settled:
     * its content is frozen and an update can only cancel it. A session whose personal data was erased (or that has
     * none) is cancelled also by a request that carries personal data: a checkout that cancels by sending its copy of
     * the session again cannot know of the erasure, and nothing of the request is stored by a cancel.
     */
    private static Decision settled(CustomerSession session, UpsertSession upsert, SessionChanges changes,
                                    EventMeta meta) {
        Optional<SessionState> requested = upsert.requestedState();
        String current = session.state().wireName();
        if (requested.isEmpty() || requested.get() == session.state()) {
            return reject(Reason.FORBIDDEN_TRANSITION, "a " + current + " session cannot be updated; "
                    + "only state=cancelled is accepted" + (session.state() == CLOSED ? ", or reopen it first" : ""));
        }
        return switch (requested.get()) {
            case CANCELLED -> changes.isEmpty() || samePastPersonalData(session, upsert.changes())
                    ? accept(new SessionRevoked(meta, session.state()))
                    : reject(Reason.FORBIDDEN_TRANSITION, "a " + current + " session's content cannot change; "
                    + "only state=cancelled is accepted, with no other changes");
            case OPEN -> reject(Reason.FORBIDDEN_TRANSITION, session.state() == CLOSED
                    ? "a closed session cannot be set to open by an update; use reopen"
                    : "a partially_returned session cannot be reopened; it can only be cancelled");
            case PARTIALLY_RETURNED -> reject(Reason.FORBIDDEN_TRANSITION,
                    "a session becomes partially_returned only via return cart items; use returns");
            case CLOSED -> reject(Reason.FORBIDDEN_TRANSITION,
                    "a partially_returned session cannot be closed again; it can only be cancelled");
        };
    }

    private static Decision returnItems(CustomerSession session, ReturnItems command, EventMeta meta) {
        if (session.state() != CLOSED && session.state() != PARTIALLY_RETURNED) {
            return reject(Reason.FORBIDDEN_TRANSITION, "only a closed or partially_returned session accepts "
                    + "returns; this one is " + session.state().wireName());
        }
        List<CartItem> cart = session.cartItems();
        List<ReturnedItem> items = command.returnedItems();
        List<Violation> violations = new ArrayList<>();
        // Per position: the total requested (duplicates summed) and the first request entry naming it. An item
        // without a quantity is returned in its entirety: every unit that remains now.
        Map<Integer, Long> requested = new TreeMap<>();
        Map<Integer, Integer> firstEntry = new LinkedHashMap<>();
        List<ReturnedItem> resolved = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ReturnedItem item = items.get(i);
            if (item.position() >= cart.size()) {
                String range = cart.isEmpty() ? "" : " (positions 0 to " + (cart.size() - 1) + ")";
                violations.add(new Violation("/return/returnedCartItems/" + i + "/position", "no such cart item",
                        "position " + item.position() + " does not exist; the session has " + cart.size()
                                + " cart items" + range));
                continue;
            }
            CartItem line = cart.get(item.position());
            if (item.quantity() == null && line.remainingQuantity() == 0) {
                violations.add(new Violation("/return/returnedCartItems/" + i, "nothing remains to return",
                        "cart item " + item.position() + " (sku " + line.sku() + "): every unit was returned already"));
                continue;
            }
            int quantity = item.quantity() == null ? line.remainingQuantity() : item.quantity();
            resolved.add(new ReturnedItem(item.position(), quantity));
            requested.merge(item.position(), (long) quantity, Long::sum);
            firstEntry.putIfAbsent(item.position(), i);
        }
        requested.forEach((position, quantity) -> {
            CartItem line = cart.get(position);
            if (quantity > line.remainingQuantity()) {
                violations.add(new Violation("/return/returnedCartItems/" + firstEntry.get(position) + "/quantity",
                        "cannot return more than remains", "cart item " + position + " (sku " + line.sku() + "): "
                        + quantity + " units requested in total, " + line.remainingQuantity() + " remain"));
            }
        });
        if (!violations.isEmpty()) {
            String message = String.join("; ", violations.stream().map(Violation::title).distinct().toList());
            return new Decision.Rejected(new Rejection(Reason.INVALID_INPUT, message, violations));
        }
        return accept(new SessionPartiallyReturned(meta, resolved, command.idempotencyKey()));
    }

    /**
     * Discounts describe a sale that is still open or was just closed; once units are returned or the session
     * is cancelled, the discounts granted then are history and stay as they are.
     */
    private static Decision setDiscounts(CustomerSession session, SetDiscounts command, EventMeta meta) {
        if (session.state() != OPEN && session.state() != CLOSED) {
            return reject(Reason.FORBIDDEN_TRANSITION, "discounts can be set only on an open or closed session; "
                    + "this one is " + session.state().wireName());
        }
        return accept(new SessionDiscountsSet(meta, command.discounts()));
    }

    private static Decision reopen(CustomerSession session, EventMeta meta) {
        if (session.state() != CLOSED) {
            return reject(Reason.FORBIDDEN_TRANSITION, "only a closed session can be reopened; this one is "
                    + session.state().wireName());
        }
        return accept(new SessionReopened(meta));
    }

    /** {@code session} holds no personal data, and {@code given} differs from it in personal data alone. */
    private static boolean samePastPersonalData(CustomerSession session, SessionChanges given) {
        return PersonalData.redact(session).equals(session) && diff(session, PersonalData.redact(given)).isEmpty();
    }

    /**
     * Talon.One: always true for an anonymous session; otherwise true unless the profile already has a
     * first session, and that is another one.
     */
    private static boolean firstSession(String profileId, SessionKey key, DecisionContext context) {
        return profileId.isEmpty()
                || context.firstSessionOfProfile().map(first -> first.equals(key.integrationId())).orElse(true);
    }

    /**
     * Only what the request would actually change: a given value equal to the current one is dropped, and
     * attributes keep only the keys whose value differs; cart items and costs are compared as amounts (see
     * {@link CartItem#sameSaleAs}). Coupon codes and identifiers are normalised (order
     * kept, exact duplicates dropped) before comparing. Never sets {@code firstSession}.
     */
    private static SessionChanges diff(CustomerSession current, SessionChanges given) {
        return new SessionChanges(
                changed(given.profileId(), current.profileId()),
                changed(given.storeIntegrationId(), current.storeIntegrationId()),
                changed(given.evaluableCampaignIds(), current.evaluableCampaignIds()),
                changed(distinct(given.couponCodes()), current.couponCodes()),
                changed(given.referralCode(), current.referralCode()),
                changed(given.loyaltyCards(), current.loyaltyCards()),
                sameCart(given.cartItems(), current.cartItems()) ? null : given.cartItems(),
                Decimals.sameAmounts(given.additionalCosts(), current.additionalCosts()) ? null
                        : given.additionalCosts(),
                changed(distinct(given.identifiers()), current.identifiers()),
                changedAttributes(given.attributes(), current.attributes()),
                null);
    }

    private static <T> T changed(T given, T current) {
        return given == null || given.equals(current) ? null : given;
    }

    /** An absent cart changes nothing; a given one is compared {@link CartItem#sameSaleAs line by line}. */
    private static boolean sameCart(List<CartItem> given, List<CartItem> current) {
        if (given == null) {
            return true;
        }
        if (given.size() != current.size()) {
            return false;
        }
        for (int i = 0; i < given.size(); i++) {
            if (!given.get(i).sameSaleAs(current.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static <T> List<T> distinct(List<T> values) {
        return values == null ? null : values.stream().distinct().toList();
    }

    private static SortedMap<String, String> changedAttributes(SortedMap<String, String> given,
                                                               SortedMap<String, String> current) {
        if (given == null) {
            return null;
        }
        SortedMap<String, String> changed = new TreeMap<>();
        given.forEach((name, value) -> {
            if (!current.containsKey(name) || !value.equals(current.get(name))) {
                changed.put(name, value);
            }
        });
        return changed.isEmpty() ? null : changed;
    }

    /**
     * Folds one event. Trusts the decider for the state machine, but a log that contradicts itself (an
     * update before the creation, a second creation, an event of another session, a return of a line that
     * does not exist or beyond what remains) is a bug or corruption, so it throws rather than guessing.
     *
     * <p>{@code state} is empty only for the first event of a session, which must be {@link SessionCreated}.
     */
    public static CustomerSession evolve(Optional<CustomerSession> state, SessionEvent event) {
        EventMeta meta = event.meta();
        if (event instanceof SessionCreated created) {
            if (state.isPresent()) {
                throw new IllegalStateException("session " + meta.key() + " already exists; cannot apply "
                        + event.talonType() + " " + meta.eventId());
            }
            return apply(blank(meta.key(), created.sessionId(), meta.time()), created.changes(), created.state(),
                    meta.time());
        }
        CustomerSession session = state.orElseThrow(() -> new IllegalStateException("session " + meta.key()
                + " does not exist; cannot apply " + event.talonType() + " " + meta.eventId()));
        if (!session.key().equals(meta.key())) {
            throw new IllegalStateException("event " + meta.eventId() + " belongs to session " + meta.key()
                    + ", not to " + session.key());
        }
        if (event instanceof SessionUpdated updated) {
            return apply(session, updated.changes(), session.state(), meta.time());
        }
        if (event instanceof SessionClosed closed) {
            return apply(session, closed.changes(), CLOSED, meta.time());
        }
        if (event instanceof SessionCancelled cancelled) {
            return apply(session, cancelled.changes(), CANCELLED, meta.time());
        }
        if (event instanceof SessionRevoked) {
            return apply(session, SessionChanges.NONE, CANCELLED, meta.time());
        }
        if (event instanceof SessionPartiallyReturned returned) {
            SessionChanges cart = SessionChanges.NONE.withCartItems(returned(session, returned));
            return apply(session, cart, PARTIALLY_RETURNED, meta.time());
        }
        if (event instanceof SessionDiscountsSet discountsSet) {
            return apply(session, SessionChanges.NONE, session.state(), discountsSet.discounts(), meta.time());
        }
        if (event instanceof SessionRedacted) {
            return PersonalData.redact(apply(session, SessionChanges.NONE, session.state(), meta.time()));
        }
        SessionReopened reopened = (SessionReopened) event;
        return apply(session, SessionChanges.NONE, OPEN, reopened.meta().time());
    }

    private static List<CartItem> returned(CustomerSession session, SessionPartiallyReturned event) {
        List<CartItem> cart = new ArrayList<>(session.cartItems());
        for (ReturnedItem item : event.returnedItems()) {
            if (item.position() < 0 || item.position() >= cart.size()) {
                throw new IllegalStateException("event " + event.meta().eventId() + " returns position "
                        + item.position() + " of a cart with " + cart.size() + " items");
            }
            CartItem line = cart.get(item.position());
            if (item.quantity() == null) {
                throw new IllegalStateException("event " + event.meta().eventId() + " returns position "
                        + item.position() + " without naming its units");
            }
            int returned = line.returnedQuantity() + item.quantity();
            if (item.quantity() < 1 || returned > line.quantity()) {
                throw new IllegalStateException("event " + event.meta().eventId() + " returns " + item.quantity()
                        + " units of position " + item.position() + " where " + line.remainingQuantity() + " remain");
            }
            cart.set(item.position(), line.withReturned(returned));
        }
        return cart;
    }

    private static CustomerSession apply(CustomerSession s, SessionChanges c, SessionState state, Instant time) {
        return apply(s, c, state, s.discounts(), time);
    }

    /**
     * Talon.One's upsert semantics: null keeps, lists and maps replace, attributes merge key by key. The
     * discounts are replaced as a whole.
     */
    private static CustomerSession apply(CustomerSession s, SessionChanges c, SessionState state,
                                         SortedMap<String, BigDecimal> discounts, Instant time) {
        SortedMap<String, String> attributes = new TreeMap<>(s.attributes());
        if (c.attributes() != null) {
            attributes.putAll(c.attributes());
        }
        return new CustomerSession(
                s.key(),
                s.id(),
                orElse(c.profileId(), s.profileId()),
                orElse(c.storeIntegrationId(), s.storeIntegrationId()),
                orElse(c.evaluableCampaignIds(), s.evaluableCampaignIds()),
                orElse(c.couponCodes(), s.couponCodes()),
                orElse(c.referralCode(), s.referralCode()),
                orElse(c.loyaltyCards(), s.loyaltyCards()),
                state,
                orElse(c.cartItems(), s.cartItems()),
                orElse(c.additionalCosts(), s.additionalCosts()),
                orElse(c.identifiers(), s.identifiers()),
                attributes,
                orElse(c.firstSession(), s.firstSession()),
                s.updateCount() + 1,
                s.created(),
                time,
                discounts);
    }

    /** The defaults of a session before its first event; {@code updateCount} 0 so creation makes it 1. */
    private static CustomerSession blank(SessionKey key, long id, Instant created) {
        return new CustomerSession(key, id, "", null, List.of(), List.of(), "", List.of(), OPEN, List.of(),
                null, List.of(), null, true, 0, created, created);
    }

    private static <T> T orElse(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isBefore(b) ? b : a;
    }

    private static Decision accept(SessionEvent event) {
        return new Decision.Accepted(List.of(event));
    }

    private static Decision reject(Reason reason, String message) {
        return new Decision.Rejected(Rejection.of(reason, message));
    }
}
