package io.customersessions.projector.streams;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.CustomerSessionState;
import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionEvent;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.codec.AvroCodec;
import io.customersessions.projector.query.ProfileSessionQuery;
import io.customersessions.projector.query.StateStores;
import io.customersessions.projector.query.StoreUnavailableException;
import io.customersessions.projector.views.StoreKeys;
import io.customersessions.projector.views.StoredEvent;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Erasure of a customer's data: the command through the processor, the views, the history and remembered outcomes. */
class RedactionTopologyTest {

    private static final String REQUESTED_BY = "integration-api-key:0123456789ab";

    private final TopologyFixture fixture = new TopologyFixture();
    private final SessionKey first = new SessionKey(1, "s-1");
    private final SessionKey second = new SessionKey(1, "s-2");
    private final ProfileSessionQuery profiles = new ProfileSessionQuery(fixture.stateStores(), true);
    private int redactions;

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    private static SessionChanges personal(String profileId) {
        CartItem engraved = new CartItem("Merino socks", "SOCK-M", 2, 0, new BigDecimal("12.99"), "apparel", null,
                null, null, null, null, new TreeMap<>(java.util.Map.of("engraving", "\"For Alice\"")), null);
        return SessionChanges.NONE.withProfileId(profileId).withIdentifiers(List.of("alice@example.com"))
                .withAttributes(new TreeMap<>(java.util.Map.of("shippingCity", "\"Berlin\"")))
                .withCartItems(List.of(engraved));
    }

    private io.customersessions.avro.SessionCommand redact(SessionKey key) {
        return redact(key, null);
    }

    private io.customersessions.avro.SessionCommand redact(SessionKey key, String erasedProfileId) {
        redactions++;
        return AvroCodec.toAvro(new SessionCommand.RedactPersonalData("redact-" + redactions, key,
                TopologyFixture.T0.plusSeconds(3600 + redactions), null, REQUESTED_BY, erasedProfileId));
    }

    private List<String> listingKeys() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> all = fixture.<String>store(Topics.SESSION_LISTING_STORE).all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    @Test
    void redacting_a_session_appends_SessionRedacted_and_stores_and_publishes_the_redacted_state() {
        // given
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.drainOutputs();

        // when
        fixture.send(redact(first));

        // then
        List<io.customersessions.avro.SessionEvent> events = fixture.events.readValuesToList();
        assertThat(events).singleElement().satisfies(event -> {
            SessionEvent domain = AvroCodec.fromAvro(event);
            assertThat(domain).isInstanceOf(SessionEvent.SessionRedacted.class);
            assertThat(((SessionEvent.SessionRedacted) domain).requestedBy()).isEqualTo(REQUESTED_BY);
        });
        CustomerSessionState stored = fixture.session(first);
        assertThat(stored.getProfileId()).isEmpty();
        assertThat(stored.getIdentifiers()).isEmpty();
        assertThat(stored.getAttributes()).isEmpty();
        assertThat(stored.getCartItems()).singleElement().satisfies(line -> {
            assertThat(line.getAttributes()).isEmpty();
            assertThat(line.getSku()).isEqualTo("SOCK-M");
        });
        assertThat(stored.getTotal()).isEqualTo("25.98");
        assertThat(stored.getUpdateCount()).isEqualTo(2);
        assertThat(fixture.states.readValuesToList()).containsExactly(stored);
        assertThat(fixture.outcomes.readValuesToList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getAccepted()).isTrue();
            assertThat(outcome.getEventTypes()).containsExactly("talon_session_redacted");
        });
    }

    @Test
    void a_redacted_session_leaves_its_profiles_view_and_the_others_of_the_profile_stay() {
        // given
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(second, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(new SessionKey(1, "s-3"), Optional.empty(), personal("bob")));
        assertThat(profiles.integrationIds(1, "alice")).containsExactly("s-1", "s-2");

        // when
        fixture.send(redact(first));

        // then
        assertThat(profiles.integrationIds(1, "alice")).containsExactly("s-2");
        assertThat(profiles.integrationIds(1, "bob")).containsExactly("s-3");
        assertThat(profiles.integrationIds(2, "alice")).as("another application's sessions").isEmpty();
    }

    @Test
    void a_session_is_found_by_every_profile_it_had_until_its_erasure_forgets_them_all() {
        // given: s-2 was bob's (his first session), then anonymous; s-1 was alice's, then bob's
        fixture.send(fixture.upsert(second, Optional.empty(), personal("bob")));
        fixture.send(fixture.upsert(second, Optional.empty(), SessionChanges.NONE.withProfileId("")));
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(first, Optional.empty(), SessionChanges.NONE.withProfileId("bob")));
        assertThat(profiles.holdingData(1, "alice")).as("its earlier events hold alice's data")
                .containsExactly("s-1");
        assertThat(profiles.holdingData(1, "bob")).containsExactly("s-1", "s-2");

        // when: DELETE /v1/customer_data/alice
        fixture.send(redact(first, "alice"));

        // then
        assertThat(profiles.holdingData(1, "alice")).isEmpty();
        assertThat(profiles.holdingData(1, "bob")).containsExactly("s-2");
        assertThat(listingKeys()).as("no entry names alice").noneMatch(key -> key.contains("alice"))
                .filteredOn(key -> key.startsWith("f")).hasSize(2); // s-2's: f| and fs| for bob
    }

    @Test
    void a_session_erased_for_another_profile_is_still_found_by_the_first_session_claim_it_holds() {
        // given: s-1 claimed alice's first session, moved to bob and was erased with bob's data
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(first, Optional.empty(), SessionChanges.NONE.withProfileId("bob")));
        fixture.send(redact(first, "bob"));
        assertThat(fixture.<String>store(Topics.PROFILE_CLAIMS_STORE).get("1:alice")).isEqualTo("s-1");

        // when: DELETE /v1/customer_data/alice
        List<String> found = profiles.holdingData(1, "alice");
        fixture.send(redact(first, "alice"));

        // then
        assertThat(found).as("the claim names alice's profile id, so it must go too").containsExactly("s-1");
        assertThat(fixture.<String>store(Topics.PROFILE_CLAIMS_STORE).get("1:alice")).isNull();
        assertThat(profiles.holdingData(1, "alice")).isEmpty();
    }

    @Test
    void a_views_generation_which_has_no_claim_stores_finds_the_sessions_by_its_listing_views() {
        // given
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(first, Optional.empty(), SessionChanges.NONE.withProfileId("bob")));
        StateStores viewsGeneration = new StateStores() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                if (name.equals(Topics.PROFILE_CLAIMS_STORE)) { // as InteractiveStateStores: no such store here
                    throw new StoreUnavailableException("the store '" + name + "' is not available yet");
                }
                return fixture.stateStores().store(name);
            }
        };

        // when
        List<String> found = new ProfileSessionQuery(viewsGeneration, false).holdingData(1, "alice");

        // then
        assertThat(found).containsExactly("s-1");
    }

    @Test
    void a_cancelled_session_is_redacted_too() {
        // given
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(first, Optional.of(SessionState.CANCELLED), SessionChanges.NONE));
        fixture.drainOutputs();

        // when
        fixture.send(redact(first));

        // then
        assertThat(fixture.outcomes.readValuesToList()).singleElement()
                .satisfies(outcome -> assertThat(outcome.getAccepted()).isTrue());
        assertThat(fixture.session(first).getState()).isEqualTo("cancelled");
        assertThat(fixture.session(first).getProfileId()).isEmpty();
    }

    @Test
    void every_history_entry_of_the_session_is_rewritten_without_personal_data_and_other_sessions_keep_theirs() {
        // given
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));
        fixture.send(fixture.upsert(first, Optional.of(SessionState.CLOSED), SessionChanges.NONE
                .withAttributes(new TreeMap<>(java.util.Map.of("note", "\"leave at the door\"")))));
        fixture.send(fixture.upsert(second, Optional.empty(), personal("alice")));
        List<KeyValue<String, StoredEvent>> before = fixture.history(first);

        // when
        fixture.send(redact(first));

        // then
        List<KeyValue<String, StoredEvent>> after = fixture.history(first);
        assertThat(after).hasSize(3);
        for (int i = 0; i < 2; i++) {
            StoredEvent was = before.get(i).value;
            StoredEvent now = after.get(i).value;
            assertThat(now.partition()).isEqualTo(was.partition());
            assertThat(now.offset()).isEqualTo(was.offset());
            assertThat(now.after().profileId()).isEmpty();
            assertThat(now.after().total()).isEqualTo(was.after().total());
            assertThat(now.event().getCommandId()).isEqualTo(was.event().getCommandId());
            assertThat(now.event().toString()).doesNotContain("alice", "Berlin", "For Alice", "leave at the door");
        }
        SessionChanges created = ((SessionEvent.SessionCreated) AvroCodec.fromAvro(after.get(0).value.event()))
                .changes();
        assertThat(created.profileId()).isEmpty();
        assertThat(created.identifiers()).isEmpty();
        assertThat(created.attributes()).isEmpty();
        assertThat(created.cartItems()).singleElement().satisfies(line -> {
            assertThat(line.attributes()).isEmpty();
            assertThat(line.price()).isEqualByComparingTo("12.99");
        });
        assertThat(AvroCodec.fromAvro(after.get(2).value.event())).isInstanceOf(SessionEvent.SessionRedacted.class);
        assertThat(fixture.history(second).get(0).value.event().toString()).contains("alice", "Berlin");
    }

    @Test
    void the_history_head_is_the_redacted_session() {
        // given
        fixture.send(fixture.upsert(first, Optional.empty(), personal("alice")));

        // when
        fixture.send(redact(first));

        // then
        assertThat(fixture.<CustomerSessionState>store(Topics.SESSION_HISTORY_HEADS_STORE).get(first.asString()))
                .isEqualTo(fixture.session(first));
    }

    @Test
    void a_remembered_return_outcome_of_the_session_is_rewritten_without_personal_data() {
        // given
        fixture.send(fixture.upsert(first, Optional.of(SessionState.CLOSED), personal("alice")));
        fixture.send(fixture.returnItems(first, "return-1", new ReturnedItem(0, 1)));
        String rememberedKey = StoreKeys.idempotency(first, "return-1");
        assertThat(outcome(rememberedKey).getSession().getProfileId()).isEqualTo("alice");

        // when
        fixture.send(redact(first));

        // then
        CommandOutcome remembered = outcome(rememberedKey);
        assertThat(remembered.getAccepted()).isTrue();
        assertThat(remembered.getSession().getProfileId()).isEmpty();
        assertThat(remembered.getSession().getAttributes()).isEmpty();
        assertThat(remembered.getSession().getUpdateCount()).as("still the state right after the return").isEqualTo(2);
        assertThat(remembered.getSession().getState()).isEqualTo("partially_returned");
    }

    @Test
    void a_remembered_update_outcome_loses_its_personal_data_and_digest_so_a_repeat_of_its_key_is_refused() {
        // given: an update sent with a key, whose remembered outcome holds alice's session
        var update = fixture.upsert(first, Optional.of(SessionState.OPEN), personal("alice"));
        ((io.customersessions.avro.UpsertSession) update.getPayload()).setIdempotencyKey("update-1");
        fixture.send(update);
        String rememberedKey = StoreKeys.updateIdempotency(first, "update-1");
        assertThat(outcome(rememberedKey).getRequestDigest()).isNotNull();

        // when
        fixture.send(redact(first));
        fixture.drainOutputs();
        var repeat = fixture.upsert(first, Optional.of(SessionState.OPEN), personal("alice"));
        ((io.customersessions.avro.UpsertSession) repeat.getPayload()).setIdempotencyKey("update-1");
        fixture.send(repeat);

        // then: no hash of what alice's request held is kept, and the repeat is not answered with her session
        CommandOutcome remembered = outcome(rememberedKey);
        assertThat(remembered.getSession().getProfileId()).isEmpty();
        assertThat(remembered.getRequestDigest()).isNull();
        assertThat(fixture.outcomes.readValue().getRejection().getReason()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(fixture.events.isEmpty()).isTrue();
    }

    private CommandOutcome outcome(String key) {
        return fixture.<CommandOutcome>store(Topics.IDEMPOTENT_OUTCOMES_STORE).get(key);
    }
}
