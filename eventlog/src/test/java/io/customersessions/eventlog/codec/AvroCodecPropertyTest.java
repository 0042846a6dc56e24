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
import io.customersessions.domain.SessionEvent.EventMeta;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionSize;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.serde.AvroWireSerializer;
import io.customersessions.eventlog.serde.InMemorySchemaRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class AvroCodecPropertyTest {

    @Property
    void any_session_survives_the_log_unchanged(@ForAll("sessions") CustomerSession session) {
        // when
        CustomerSessionState avro = AvroBytes.viaLog(AvroCodec.toAvro(session), CustomerSessionState.class);

        // then
        assertThat(AvroCodec.fromAvro(avro)).isEqualTo(session);
    }

    @Property
    void the_state_record_totals_are_the_domain_totals(@ForAll("sessions") CustomerSession session) {
        // when
        CustomerSessionState avro = AvroCodec.toAvro(session);

        // then
        assertThat(avro.getCartItemTotal()).isEqualTo(session.cartItemTotal().toPlainString());
        assertThat(avro.getAdditionalCostTotal()).isEqualTo(session.additionalCostTotal().toPlainString());
        assertThat(avro.getTotal()).isEqualTo(session.total().toPlainString());
        assertThat(avro.getTotalDiscounts()).isEqualTo(session.totalDiscounts().toPlainString());
    }

    /** The domain's bound of a session's size (SessionLimits.MAX_SESSION_BYTES) holds for its real encoding. */
    @Property
    void the_size_bound_of_a_session_is_never_below_its_encoding(@ForAll("sessions") CustomerSession session) {
        assertThat(SessionSize.of(session))
                .isGreaterThanOrEqualTo(AvroBytes.encode(AvroCodec.toAvro(session), CustomerSessionState.class).length);
    }

    @Property
    void the_size_bound_of_a_command_is_never_below_its_encoding(@ForAll("commands") SessionCommand command) {
        assertThat(SessionSize.of(command)).isGreaterThanOrEqualTo(AvroBytes.encode(AvroCodec.toAvro(command),
                io.customersessions.avro.SessionCommand.class).length);
    }

    @Property
    void any_changes_survive_the_log_unchanged(@ForAll("changes") SessionChanges changes) {
        // when
        io.customersessions.avro.SessionChanges avro = AvroBytes.viaLog(AvroCodec.toAvro(changes),
                io.customersessions.avro.SessionChanges.class);

        // then
        assertThat(AvroCodec.fromAvro(avro)).isEqualTo(changes);
    }

    @Property
    void any_event_survives_the_log_unchanged(@ForAll("events") SessionEvent event) {
        // when
        io.customersessions.avro.SessionEvent avro = AvroBytes.viaLog(AvroCodec.toAvro(event),
                io.customersessions.avro.SessionEvent.class);

        // then
        assertThat(AvroCodec.fromAvro(avro)).isEqualTo(event);
    }

    @Property
    void any_command_survives_the_log_unchanged(@ForAll("commands") SessionCommand command) {
        // when
        io.customersessions.avro.SessionCommand avro = AvroBytes.viaLog(AvroCodec.toAvro(command),
                io.customersessions.avro.SessionCommand.class);

        // then
        assertThat(AvroCodec.fromAvro(avro)).isEqualTo(command);
    }

    @Property
    void any_rejected_outcome_survives_the_log_unchanged(@ForAll("rejections") Rejection rejection,
                                                         @ForAll("sessions") CustomerSession current) {
        // when
        CommandOutcome outcome = AvroBytes.viaLog(
                AvroCodec.rejectedOutcome("cmd", current.key(), rejection, Optional.of(current)), CommandOutcome.class);

        // then
        assertThat(AvroCodec.fromAvro(outcome.getRejection())).isEqualTo(rejection);
        assertThat(AvroCodec.fromAvro(outcome.getSession())).isEqualTo(current);
    }

    @Property
    void encoding_the_same_session_twice_gives_identical_bytes(@ForAll("sessions") CustomerSession session) {
        // when
        byte[] first = AvroBytes.encode(AvroCodec.toAvro(session), CustomerSessionState.class);
        byte[] second = AvroBytes.encode(AvroCodec.toAvro(session), CustomerSessionState.class);

        // then
        assertThat(second).isEqualTo(first);
    }

    /**
     * The wire serializer writes nested generated records with their generated coders, which must give exactly the
     * bytes of Avro's generic walk (what any other Avro writer, e.g. Confluent's serializer, writes): the log's
     * bytes, and so replay's byte-for-byte comparison, must not depend on the writer.
     */
    @Property
    void the_wire_serializer_writes_what_avro_writes(@ForAll("sessions") CustomerSession session,
                                                     @ForAll("events") SessionEvent event,
                                                     @ForAll("commands") SessionCommand command) {
        // given
        AvroWireSerializer serializer = new AvroWireSerializer(new InMemorySchemaRegistry());
        CustomerSessionState state = AvroCodec.toAvro(session);
        io.customersessions.avro.SessionEvent avroEvent = AvroCodec.toAvro(event);
        io.customersessions.avro.SessionCommand avroCommand = AvroCodec.toAvro(command);
        CommandOutcome outcome = AvroCodec.acceptedOutcome("cmd", session.key(), List.of(event), session);

        // when / then
        assertThat(body(serializer.serialize("state", state)))
                .isEqualTo(AvroBytes.encode(state, CustomerSessionState.class));
        assertThat(body(serializer.serialize("events", avroEvent)))
                .isEqualTo(AvroBytes.encode(avroEvent, io.customersessions.avro.SessionEvent.class));
        assertThat(body(serializer.serialize("commands", avroCommand)))
                .isEqualTo(AvroBytes.encode(avroCommand, io.customersessions.avro.SessionCommand.class));
        assertThat(body(serializer.serialize("outcomes", outcome)))
                .isEqualTo(AvroBytes.encode(outcome, CommandOutcome.class));
    }

    /** The Avro binary after the wire format's header (magic byte, 4-byte schema id). */
    private static byte[] body(byte[] wire) {
        return Arrays.copyOfRange(wire, 5, wire.length);
    }

    /** Sorted is the canonical order: a hash order may differ with a map's history or the JDK. */
    @Property
    void every_map_is_handed_to_avro_in_sorted_key_order(@ForAll("sessions") CustomerSession session,
                                                          @ForAll("changes") SessionChanges changes) {
        // when
        CustomerSessionState state = AvroCodec.toAvro(session);
        io.customersessions.avro.SessionChanges avroChanges = AvroCodec.toAvro(changes);

        // then
        List<Map<String, String>> maps = new ArrayList<>();
        maps.add(state.getAttributes());
        maps.add(state.getAdditionalCosts());
        maps.add(state.getDiscounts());
        state.getCartItems().forEach(i -> maps.addAll(List.of(i.getAttributes(), i.getAdditionalCosts())));
        if (avroChanges.getAttributes() != null) {
            maps.add(avroChanges.getAttributes());
        }
        if (avroChanges.getAdditionalCosts() != null) {
            maps.add(avroChanges.getAdditionalCosts());
        }
        if (avroChanges.getCartItems() != null) {
            avroChanges.getCartItems().forEach(i -> maps.addAll(List.of(i.getAttributes(), i.getAdditionalCosts())));
        }
        assertThat(maps).allSatisfy(map -> assertThat(new ArrayList<>(map.keySet())).isSorted());
    }

    @Property
    void a_session_built_from_maps_in_another_insertion_order_gives_identical_bytes(
            @ForAll("sessions") CustomerSession session) {
        // given the same content, every map iterated in the opposite order
        CustomerSession reordered = new CustomerSession(session.key(), session.id(), session.profileId(),
                session.storeIntegrationId(), session.evaluableCampaignIds(), session.couponCodes(),
                session.referralCode(), session.loyaltyCards(), session.state(),
                session.cartItems().stream().map(AvroCodecPropertyTest::reordered).toList(),
                reversed(session.additionalCosts()), session.identifiers(), reversed(session.attributes()),
                session.firstSession(), session.updateCount(), session.created(), session.updated(),
                reversed(session.discounts()));

        // when
        byte[] original = AvroBytes.encode(AvroCodec.toAvro(session), CustomerSessionState.class);
        byte[] fromReordered = AvroBytes.encode(AvroCodec.toAvro(reordered), CustomerSessionState.class);

        // then
        assertThat(fromReordered).isEqualTo(original);
    }

    @Property
    void changes_built_from_maps_in_another_insertion_order_give_identical_bytes(
            @ForAll("changes") SessionChanges changes) {
        // given
        SessionChanges reordered = changes
                .withAttributes(changes.attributes() == null ? null : reversed(changes.attributes()))
                .withAdditionalCosts(changes.additionalCosts() == null ? null : reversed(changes.additionalCosts()))
                .withCartItems(changes.cartItems() == null ? null
                        : changes.cartItems().stream().map(AvroCodecPropertyTest::reordered).toList());
        Class<io.customersessions.avro.SessionChanges> type = io.customersessions.avro.SessionChanges.class;

        // when
        byte[] original = AvroBytes.encode(AvroCodec.toAvro(changes), type);
        byte[] fromReordered = AvroBytes.encode(AvroCodec.toAvro(reordered), type);

        // then
        assertThat(fromReordered).isEqualTo(original);
    }

    @Property
    void re_encoding_an_event_read_from_the_log_reproduces_its_bytes(@ForAll("events") SessionEvent event) {
        // given the decoder hands back maps in hash order
        Class<io.customersessions.avro.SessionEvent> type = io.customersessions.avro.SessionEvent.class;
        byte[] written = AvroBytes.encode(AvroCodec.toAvro(event), type);

        // when
        byte[] rewritten = AvroBytes.encode(AvroCodec.toAvro(AvroCodec.fromAvro(AvroBytes.decode(written, type))), type);

        // then
        assertThat(rewritten).isEqualTo(written);
    }

    // ---------------------------------------------------------------- generators

    private static final String CHARS = "abcXYZ019 :/-_\"{}[],.é€漢";

    private static <V> SortedMap<String, V> reversed(SortedMap<String, V> map) {
        SortedMap<String, V> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.putAll(map);
        return reversed;
    }

    private static CartItem reordered(CartItem i) {
        return new CartItem(i.name(), i.sku(), i.quantity(), i.returnedQuantity(), i.price(), i.category(),
                i.productName(), i.weight(), i.height(), i.width(), i.length(), reversed(i.attributes()),
                reversed(i.additionalCosts()));
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().withChars(CHARS).ofMaxLength(12);
    }

    private static Arbitrary<String> nullableText() {
        return text().injectNull(0.3);
    }

    /** Positive, zero and negative amounts with scales 0..6, e.g. 12.50, 0.000001, -3. */
    private static Arbitrary<BigDecimal> decimals() {
        return Combinators.combine(Arbitraries.longs().between(-10_000_000_000L, 10_000_000_000L),
                Arbitraries.integers().between(0, 6)).as(BigDecimal::valueOf);
    }

    private static Arbitrary<String> jsonText() {
        return Arbitraries.oneOf(
                text().map(s -> "\"" + s.replace("\"", "\\\"") + "\""),
                decimals().map(BigDecimal::toPlainString),
                Arbitraries.of("true", "false", "null", "[]", "{}", "[1,\"two\",null]", "{\"a\":{\"b\":[1.50]}}"));
    }

    private static Arbitrary<SortedMap<String, String>> attributes() {
        return Arbitraries.maps(text(), jsonText()).ofMaxSize(5).map(TreeMap::new);
    }

    /** Additional costs and discounts: the codec maps any amounts; which are valid is the domain's concern. */
    private static Arbitrary<SortedMap<String, BigDecimal>> decimalMaps() {
        return Arbitraries.maps(text(), decimals()).ofMaxSize(4).map(TreeMap::new);
    }

    private static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(0L, 4_102_444_800_000L).map(Instant::ofEpochMilli);
    }

    private static Arbitrary<SessionKey> keys() {
        return Combinators.combine(Arbitraries.longs().greaterOrEqual(0L), text()).as(SessionKey::new);
    }

    private static Arbitrary<CartItem> cartItems() {
        Arbitrary<BigDecimal> nullableDecimal = decimals().injectNull(0.3);
        Arbitrary<CartItem> basics = Combinators.combine(nullableText(), text(),
                        Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1000),
                        nullableDecimal, nullableText(), nullableText())
                .as((name, sku, quantity, returned, price, category, product) -> new CartItem(name, sku, quantity,
                        Math.min(quantity, returned), price, category, product, null, null, null, null, null, null));
        return Combinators.combine(basics, nullableDecimal.list().ofSize(4), attributes(), decimalMaps())
                .as((i, m, attributes, costs) -> new CartItem(i.name(), i.sku(), i.quantity(), i.returnedQuantity(),
                        i.price(), i.category(), i.productName(), m.get(0), m.get(1), m.get(2), m.get(3),
                        attributes, costs));
    }

    private record Identity(String profileId, String storeIntegrationId, List<Long> evaluableCampaignIds,
                            List<String> couponCodes, String referralCode, List<String> loyaltyCards) {
    }

    @Provide
    Arbitrary<SessionChanges> changes() {
        Arbitrary<List<String>> strings = text().list().ofMaxSize(4).injectNull(0.3);
        Arbitrary<Identity> identity = Combinators.combine(nullableText(), nullableText(),
                        Arbitraries.longs().list().ofMaxSize(4).injectNull(0.3), strings, nullableText(), strings)
                .as(Identity::new);
        return Combinators.combine(identity, cartItems().list().ofMaxSize(3).injectNull(0.3),
                        decimalMaps().injectNull(0.3), strings, attributes().injectNull(0.3),
                        Arbitraries.of(true, false).injectNull(0.3))
                .as((id, items, costs, identifiers, attributes, first) -> new SessionChanges(id.profileId(),
                        id.storeIntegrationId(), id.evaluableCampaignIds(), id.couponCodes(), id.referralCode(),
                        id.loyaltyCards(), items, costs, identifiers, attributes, first));
    }

    /** A session is the changes of a creation with nothing left out, plus its identity and history. */
    @Provide
    Arbitrary<CustomerSession> sessions() {
        return Combinators.combine(keys(), Arbitraries.longs(), Arbitraries.of(SessionState.class), changes(),
                        Arbitraries.integers().between(1, 10_000), instants(),
                        Arbitraries.longs().between(0L, 86_400_000L), decimalMaps())
                .as((key, id, state, c, updateCount, created, millisLater, discounts) -> new CustomerSession(key,
                        id, c.profileId(), c.storeIntegrationId(), c.evaluableCampaignIds(), c.couponCodes(),
                        c.referralCode(), c.loyaltyCards(), state, c.cartItems(), c.additionalCosts(),
                        c.identifiers(), c.attributes(), Boolean.TRUE.equals(c.firstSession()), updateCount,
                        created, created.plusMillis(millisLater), discounts));
    }

    private static Arbitrary<EventMeta> metas() {
        return Combinators.combine(text(), Arbitraries.integers().between(0, 3), keys(), instants())
                .as((commandId, index, key, time) -> new EventMeta(commandId + "/" + index, commandId, key, time));
    }

    private static Arbitrary<List<ReturnedItem>> returnedItems() {
        return Combinators.combine(Arbitraries.integers().between(0, 50), Arbitraries.integers().between(1, 50))
                .as(ReturnedItem::new).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<SessionEvent> events() {
        Arbitrary<EventMeta> metas = metas();
        Arbitrary<SessionState> states = Arbitraries.of(SessionState.class);
        return Arbitraries.oneOf(
                Combinators.combine(metas, Arbitraries.longs(), states, changes()).as(SessionEvent.SessionCreated::new),
                Combinators.combine(metas, changes()).as(SessionEvent.SessionUpdated::new),
                Combinators.combine(metas, changes()).as(SessionEvent.SessionClosed::new),
                Combinators.combine(metas, changes()).as(SessionEvent.SessionCancelled::new),
                Combinators.combine(metas, states).as(SessionEvent.SessionRevoked::new),
                Combinators.combine(metas, returnedItems(), nullableText())
                        .as(SessionEvent.SessionPartiallyReturned::new),
                metas.map(SessionEvent.SessionReopened::new),
                Combinators.combine(metas, decimalMaps()).as(SessionEvent.SessionDiscountsSet::new),
                Combinators.combine(metas, text()).as(SessionEvent.SessionRedacted::new));
    }

    @Provide
    Arbitrary<SessionCommand> commands() {
        Arbitrary<String> ids = text();
        Arbitrary<Integer> expected = Arbitraries.integers().between(0, 10_000).injectNull(0.5);
        Arbitrary<Optional<SessionState>> requested = Arbitraries.of(SessionState.class).optional();
        return Arbitraries.oneOf(
                Combinators.combine(ids, keys(), instants(), expected, requested, changes())
                        .as(SessionCommand.UpsertSession::new),
                Combinators.combine(ids, keys(), instants(), expected, returnedItems(), nullableText())
                        .as(SessionCommand.ReturnItems::new),
                Combinators.combine(ids, keys(), instants(), expected).as(SessionCommand.ReopenSession::new),
                Combinators.combine(ids, keys(), instants(), expected, decimalMaps()).as(SessionCommand.SetDiscounts::new),
                Combinators.combine(ids, keys(), instants(), expected, text(), nullableText())
                        .as(SessionCommand.RedactPersonalData::new));
    }

    @Provide
    Arbitrary<Rejection> rejections() {
        Arbitrary<Rejection.Violation> violations = Combinators.combine(text(), text(), text())
                .as(Rejection.Violation::new);
        return Combinators.combine(Arbitraries.of(Rejection.Reason.class), text(), violations.list().ofMaxSize(3))
                .as(Rejection::new);
    }
}
