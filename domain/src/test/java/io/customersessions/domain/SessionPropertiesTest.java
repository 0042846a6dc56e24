package io.customersessions.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static io.customersessions.domain.Commands.KEY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random histories of commands (valid and invalid upserts in any requested state, returns with and without
 * Idempotency-Keys, reopens, discounts, redactions, If-Match values, times out of order) folded through decide +
 * evolve.
 */
class SessionPropertiesTest {

    private static final List<String> EVENT_TYPES = List.of("talon_session_created", "talon_session_updated",
            "talon_session_closed", "talon_session_cancelled", "talon_session_revoked",
            "talon_session_partially_returned", "talon_session_reopened", "talon_session_discounts_set",
            "talon_session_redacted");

    record Step(SessionCommand command, DecisionContext context) {
    }

    /** The live fold: the state after each accepted command, and the events appended. */
    record Run(Optional<CustomerSession> state, List<SessionEvent> events) {

        static Run of(List<Step> steps) {
            Optional<CustomerSession> state = Optional.empty();
            List<SessionEvent> events = new ArrayList<>();
            for (Step step : steps) {
                Decision decision = SessionDecider.decide(state, step.command(), step.context());
                if (decision instanceof Decision.Accepted accepted) {
                    for (SessionEvent event : accepted.events()) {
                        state = Optional.of(SessionDecider.evolve(state, event));
                        events.add(event);
                    }
                }
            }
            return new Run(state, events);
        }
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.NONE)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void any_history_folds_to_a_session_that_keeps_its_invariants(@ForAll("histories") List<Step> history) {
        // when
        Run run = Run.of(history);

        // then
        collectCoverage(run);
        if (run.events().isEmpty()) {
            assertThat(run.state()).isEmpty();
            return;
        }
        CustomerSession session = run.state().orElseThrow();
        assertThat(session.updateCount()).as("updateCount = accepted commands").isEqualTo(run.events().size());
        assertThat(run.events().get(0)).isInstanceOf(SessionEvent.SessionCreated.class);
        assertThat(session.created()).isEqualTo(run.events().get(0).meta().time());
        assertThat(session.updated()).isEqualTo(run.events().get(run.events().size() - 1).meta().time());
        assertThat(session.created()).isBeforeOrEqualTo(session.updated());
        for (int i = 1; i < run.events().size(); i++) {
            assertThat(run.events().get(i).meta().time()).as("event times never go backwards")
                    .isAfterOrEqualTo(run.events().get(i - 1).meta().time());
        }
        assertThat(session.cartItemTotal()).isEqualByComparingTo(recomputedCartItemTotal(session));
        assertThat(session.total()).as("total is before discounts").isEqualByComparingTo(recomputedTotal(session));
        assertThat(session.totals()).as("the totals taken at once are the single sums, scale included").isEqualTo(
                new CustomerSession.Totals(recomputedCartItemTotal(session), session.additionalCostTotal(),
                        recomputedTotal(session)));
        assertThat(session.totalDiscounts()).isEqualTo(session.discounts().values().stream()
                .reduce(BigDecimal.ZERO, BigDecimal::add));
        assertThat(session.discounts()).as("the discounts are those of the last accepted SetDiscounts")
                .isEqualTo(lastDiscounts(run.events()));
        assertThat(session.cartItems()).allSatisfy(line -> {
            assertThat(line.returnedQuantity()).isBetween(0, line.quantity());
            assertThat(line.quantity()).isPositive();
        });
        int returned = session.cartItems().stream().mapToInt(CartItem::returnedQuantity).sum();
        switch (session.state()) {
            case PARTIALLY_RETURNED -> assertThat(returned).as("partially_returned implies a return").isPositive();
            case OPEN, CLOSED -> assertThat(returned).as("only closed sessions take returns, and stay settled")
                    .isZero();
            case CANCELLED -> assertThat(returned).isNotNegative();
        }
        boolean redacted = run.events().stream().anyMatch(event -> event instanceof SessionEvent.SessionRedacted);
        if (session.anonymous() && !redacted) {
            assertThat(session.firstSession()).as("anonymous sessions are first sessions").isTrue();
        }
        assertThat(session.couponCodes()).doesNotHaveDuplicates();
        assertThat(session.identifiers()).doesNotHaveDuplicates();
        assertThat(SessionDecider.validate(asUpsert(session))).as("the state is itself a valid request").isEmpty();
        assertThat(SessionDecider.validate(new SessionCommand.SetDiscounts("check", session.key(), session.updated(),
                null, session.discounts()))).as("the discounts are themselves a valid request").isEmpty();
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.NONE)
    void replaying_the_accepted_events_reproduces_the_live_state(@ForAll("histories") List<Step> history) {
        // given
        Run run = Run.of(history);

        // when
        Optional<CustomerSession> replayed = Optional.empty();
        for (SessionEvent event : run.events()) {
            replayed = Optional.of(SessionDecider.evolve(replayed, event));
        }

        // then
        assertThat(replayed).isEqualTo(run.state());
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.NONE)
    void decide_is_deterministic_and_leaves_the_state_untouched(@ForAll("histories") List<Step> history) {
        Optional<CustomerSession> state = Optional.empty();
        for (Step step : history) {
            // given
            Optional<CustomerSession> before = state;
            CustomerSession snapshot = state.map(SessionPropertiesTest::copyOf).orElse(null);

            // when
            Decision first = SessionDecider.decide(state, step.command(), step.context());
            Decision second = SessionDecider.decide(state, step.command(), step.context());

            // then
            assertThat(second).isEqualTo(first);
            assertThat(state.orElse(null)).isEqualTo(snapshot);
            if (first instanceof Decision.Accepted accepted) {
                SessionEvent event = accepted.events().get(0);
                state = Optional.of(SessionDecider.evolve(before, event));
                assertThat(SessionDecider.evolve(before, event)).isEqualTo(state.get());
            }
        }
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.NONE)
    void folding_the_redacted_events_gives_the_redacted_session_after_every_event(
            @ForAll("histories") List<Step> history) {
        // given
        Run run = Run.of(history);

        // when
        Optional<CustomerSession> live = Optional.empty();
        Optional<CustomerSession> fromRedacted = Optional.empty();
        for (SessionEvent event : run.events()) {
            live = Optional.of(SessionDecider.evolve(live, event));
            fromRedacted = Optional.of(SessionDecider.evolve(fromRedacted, PersonalData.redact(event)));

            // then
            assertThat(fromRedacted.get()).isEqualTo(PersonalData.redact(live.get()));
        }
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.NONE)
    void right_after_a_redaction_no_personal_data_is_left_and_everything_else_is_kept(
            @ForAll("histories") List<Step> history) {
        // given
        Run run = Run.of(history);

        Optional<CustomerSession> state = Optional.empty();
        for (SessionEvent event : run.events()) {
            // when
            Optional<CustomerSession> before = state;
            state = Optional.of(SessionDecider.evolve(state, event));

            // then
            if (event instanceof SessionEvent.SessionRedacted) {
                CustomerSession after = state.get();
                assertThat(after.profileId()).isEmpty();
                assertThat(after.identifiers()).isEmpty();
                assertThat(after.attributes()).isEmpty();
                assertThat(after.loyaltyCards()).isEmpty();
                assertThat(after.cartItems()).allSatisfy(line -> assertThat(line.attributes()).isEmpty());
                CustomerSession previous = before.orElseThrow();
                assertThat(after.state()).isEqualTo(previous.state());
                assertThat(after.total()).isEqualTo(previous.total());
                assertThat(after.cartItemTotal()).isEqualTo(previous.cartItemTotal());
                assertThat(after.totalDiscounts()).isEqualTo(previous.totalDiscounts());
                assertThat(after.couponCodes()).isEqualTo(previous.couponCodes());
                assertThat(after.firstSession()).isEqualTo(previous.firstSession());
                assertThat(after.updateCount()).isEqualTo(previous.updateCount() + 1);
            }
        }
    }

    private static CustomerSession copyOf(CustomerSession s) {
        return new CustomerSession(s.key(), s.id(), s.profileId(), s.storeIntegrationId(), s.evaluableCampaignIds(),
                s.couponCodes(), s.referralCode(), s.loyaltyCards(), s.state(), s.cartItems(), s.additionalCosts(),
                s.identifiers(), s.attributes(), s.firstSession(), s.updateCount(), s.created(), s.updated(),
                s.discounts());
    }

    private static SortedMap<String, BigDecimal> lastDiscounts(List<SessionEvent> events) {
        SortedMap<String, BigDecimal> discounts = new TreeMap<>();
        for (SessionEvent event : events) {
            if (event instanceof SessionEvent.SessionDiscountsSet set) {
                discounts = set.discounts();
            }
        }
        return discounts;
    }

    /** The generator must reach every event type, or the properties above prove little. */
    private static void collectCoverage(Run run) {
        for (String type : EVENT_TYPES) {
            boolean present = run.events().stream().anyMatch(event -> event.talonType().equals(type));
            Statistics.label(type).collect(present);
            Statistics.label(type).coverage(coverage -> coverage.check(true).count(count -> count > 0));
        }
    }

    private static BigDecimal recomputedCartItemTotal(CustomerSession session) {
        BigDecimal total = BigDecimal.ZERO;
        for (CartItem line : session.cartItems()) {
            BigDecimal units = new BigDecimal(line.quantity() - line.returnedQuantity());
            total = total.add((line.price() == null ? BigDecimal.ZERO : line.price()).multiply(units));
        }
        return total;
    }

    private static BigDecimal recomputedTotal(CustomerSession session) {
        BigDecimal total = recomputedCartItemTotal(session);
        for (BigDecimal cost : session.additionalCosts().values()) {
            total = total.add(cost);
        }
        for (CartItem line : session.cartItems()) {
            BigDecimal units = new BigDecimal(line.quantity() - line.returnedQuantity());
            for (BigDecimal perUnit : line.additionalCosts().values()) {
                total = total.add(perUnit.multiply(units));
            }
        }
        return total;
    }

    /** The session's content as a client would send it (returned quantities aside, which clients cannot set). */
    private static SessionCommand asUpsert(CustomerSession session) {
        List<CartItem> cart = session.cartItems().stream().map(line -> line.withReturned(0)).toList();
        return new SessionCommand.UpsertSession("check", session.key(), session.updated(), null, Optional.empty(),
                new SessionChanges(session.profileId(), session.storeIntegrationId(), session.evaluableCampaignIds(),
                        session.couponCodes(), session.referralCode(), session.loyaltyCards(), cart,
                        session.additionalCosts(), session.identifiers(), session.attributes(), null));
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        return steps().list().ofMinSize(1).ofMaxSize(25);
    }

    private static Arbitrary<Step> steps() {
        Arbitrary<SessionCommand> command = Arbitraries.frequencyOf(
                Tuple.of(12, upserts()), Tuple.of(1, bareCancels()), Tuple.of(6, returns()), Tuple.of(2, reopens()),
                Tuple.of(3, discounts()), Tuple.of(1, redactions()));
        Arbitrary<DecisionContext> context = Combinators.combine(
                Arbitraries.longs().between(1, 1_000),
                Arbitraries.of(Optional.<String>empty(), Optional.of(KEY.integrationId()), Optional.of("older")))
                .as(DecisionContext::new);
        return Combinators.combine(command, context).as(Step::new);
    }

    private static Arbitrary<String> commandIds() {
        return Arbitraries.integers().between(1, 1_000_000).map(n -> "cmd-" + n);
    }

    private static Arbitrary<java.time.Instant> times() {
        return Arbitraries.integers().between(0, 600).map(Commands::minute);
    }

    /** Mostly absent; when present, small enough to match the session now and then. */
    private static Arbitrary<Integer> ifMatch() {
        return Arbitraries.integers().between(0, 8).injectNull(0.85);
    }

    private static Arbitrary<SessionCommand> upserts() {
        // Weighted so that histories often get through closing and returns before they are cancelled.
        Arbitrary<Optional<SessionState>> state = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(Optional.<SessionState>empty())),
                Tuple.of(2, Arbitraries.just(Optional.of(SessionState.OPEN))),
                Tuple.of(8, Arbitraries.just(Optional.of(SessionState.CLOSED))),
                Tuple.of(1, Arbitraries.just(Optional.of(SessionState.CANCELLED))),
                Tuple.of(1, Arbitraries.just(Optional.of(SessionState.PARTIALLY_RETURNED))));
        return Combinators.combine(commandIds(), times(), ifMatch(), state, changes())
                .as((id, time, expected, requested, changes) -> new SessionCommand.UpsertSession(
                        id, KEY, time, expected, requested, changes));
    }

    /** state=cancelled and nothing else: the only update a closed or partially returned session accepts. */
    private static Arbitrary<SessionCommand> bareCancels() {
        return Combinators.combine(commandIds(), times(), ifMatch())
                .as((id, time, expected) -> new SessionCommand.UpsertSession(id, KEY, time, expected,
                        Optional.of(SessionState.CANCELLED), SessionChanges.NONE));
    }

    private static Arbitrary<SessionCommand> returns() {
        Arbitrary<ReturnedItem> item = Combinators.combine(
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 2)).as(ReturnedItem::new);
        return Combinators.combine(commandIds(), times(), ifMatch(), item.list().ofMinSize(1).ofMaxSize(2),
                        idempotencyKeys())
                .as((id, time, expected, items, idempotencyKey) -> new SessionCommand.ReturnItems(id, KEY, time,
                        expected, items, idempotencyKey));
    }

    /** Mostly absent or valid; now and then blank or one character too long. */
    private static Arbitrary<String> idempotencyKeys() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of("k-1", "k-2", Commands.repeat('k', 255))),
                Tuple.of(1, Arbitraries.of(" ", Commands.repeat('k', 256)))).injectNull(0.5);
    }

    /** Zero to three labels; now and then a blank label or a negative value, which must be rejected. */
    private static Arbitrary<SessionCommand> discounts() {
        Arbitrary<String> label = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of("10% off", "free shipping", "loyalty")), Tuple.of(1, Arbitraries.just(" ")));
        Arbitrary<BigDecimal> value = Arbitraries.frequencyOf(
                Tuple.of(20, money()), Tuple.of(1, Arbitraries.just(new BigDecimal("-1"))));
        Arbitrary<SortedMap<String, BigDecimal>> discounts = Arbitraries.maps(label, value).ofMaxSize(3)
                .map(TreeMap::new);
        return Combinators.combine(commandIds(), times(), ifMatch(), discounts)
                .as((id, time, expected, d) -> new SessionCommand.SetDiscounts(id, KEY, time, expected, d));
    }

    /** Now and then without a requestedBy, which must be rejected. */
    private static Arbitrary<SessionCommand> redactions() {
        Arbitrary<String> requestedBy = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just("integration-api-key:0123456789ab")), Tuple.of(1, Arbitraries.just(" ")));
        return Combinators.combine(commandIds(), times(), ifMatch(), requestedBy)
                .as((id, time, expected, by) -> new SessionCommand.RedactPersonalData(id, KEY, time, expected, by));
    }

    private static Arbitrary<SessionCommand> reopens() {
        return Combinators.combine(commandIds(), times(), ifMatch())
                .as((id, time, expected) -> new SessionCommand.ReopenSession(id, KEY, time, expected));
    }

    /** Every field independently absent or present; now and then an invalid cart item (quantity 0). */
    private static Arbitrary<SessionChanges> changes() {
        Arbitrary<String> profile = Arbitraries.of("", "p1", "p2").injectNull(0.6);
        Arbitrary<String> store = Arbitraries.of("s1", "s2").injectNull(0.8);
        Arbitrary<List<String>> coupons = Arbitraries.of("A", "B", "C").list().ofMaxSize(3).injectNull(0.7);
        Arbitrary<String> referral = Arbitraries.of("", "R1", "R2").injectNull(0.7);
        Arbitrary<List<CartItem>> cart = cartItems().list().ofMaxSize(4).injectNull(0.6);
        Arbitrary<SortedMap<String, BigDecimal>> costs = costs().injectNull(0.7);
        Arbitrary<List<String>> identifiers = Arbitraries.of("ip1", "ip2").list().ofMaxSize(3).injectNull(0.8);
        Arbitrary<SortedMap<String, String>> attributes = Arbitraries.maps(
                        Arbitraries.of("city", "vip"), Arbitraries.of("\"Berlin\"", "\"Paris\"", "true"))
                .ofMaxSize(2).<SortedMap<String, String>>map(TreeMap::new).injectNull(0.7);
        return Combinators.combine(profile, store, coupons, referral, cart, costs, identifiers, attributes)
                .as((p, s, c, r, items, k, ids, a) -> new SessionChanges(p, s, null, c, r, null, items, k, ids, a,
                        null));
    }

    private static Arbitrary<CartItem> cartItems() {
        Arbitrary<Integer> quantity = Arbitraries.frequencyOf(
                Tuple.of(97, Arbitraries.integers().between(1, 5)), Tuple.of(3, Arbitraries.just(0)));
        Arbitrary<SortedMap<String, String>> attributes = Arbitraries.maps(
                        Arbitraries.of("colour"), Arbitraries.of("\"red\"", "\"blue\""))
                .ofMaxSize(1).<SortedMap<String, String>>map(TreeMap::new).injectNull(0.7);
        return Combinators.combine(Arbitraries.of("A", "B", "C"), quantity, money().injectNull(0.2),
                        costs().injectNull(0.7), attributes)
                .as((sku, q, price, costs, a) -> new CartItem(null, sku, q, 0, price, null, null, null, null, null,
                        null, a, costs));
    }

    private static Arbitrary<SortedMap<String, BigDecimal>> costs() {
        return Arbitraries.maps(Arbitraries.of("shipping", "deposit"), money()).ofMaxSize(2)
                .map(TreeMap::new);
    }

    /** Decimals that binary floating point cannot hold exactly. */
    private static Arbitrary<BigDecimal> money() {
        return Arbitraries.of("0", "0.1", "0.2", "0.30", "1.99", "10", "19.999").map(BigDecimal::new);
    }
}
