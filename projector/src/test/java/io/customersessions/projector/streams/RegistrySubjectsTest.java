package io.customersessions.projector.streams;

import io.customersessions.avro.SessionCommand;
import io.customersessions.avro.UpsertSession;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.serde.AvroWireConfig;
import io.customersessions.eventlog.serde.InMemorySchemaRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processor registers schemas under the subjects of the topics it writes ({@code <topic>-value}) and no other:
 * its stores share them, so a registry that takes no new subject (subjects registered beforehand, auto-registration
 * off) runs it, and a views generation under a new application id needs no new subject either.
 */
class RegistrySubjectsTest {

    private final TopologyFixture fixture = new TopologyFixture();

    @AfterEach
    void closeDriver() {
        fixture.close();
    }

    @Test
    void every_store_writes_under_the_subject_of_a_topic_of_the_log() {
        // given: a session with personal data (a data key), an Idempotency-Key (a remembered outcome), its history
        SessionKey session = new SessionKey(1, "s-1");
        SessionCommand create = fixture.upsert(session, Optional.of(SessionState.OPEN),
                SessionChanges.NONE.withProfileId("customer-1"));
        ((UpsertSession) create.getPayload()).setIdempotencyKey("create-1");

        // when
        fixture.send(create);
        fixture.send(fixture.upsert(session, Optional.of(SessionState.CLOSED), SessionChanges.NONE));

        // then
        assertThat(fixture.store(Topics.IDEMPOTENT_OUTCOMES_STORE).approximateNumEntries())
                .isPositive();
        String scope = ((String) fixture.serdeConfig().get("schema.registry.url"))
                .substring(AvroWireConfig.MOCK_SCHEME.length());
        assertThat(InMemorySchemaRegistry.forScope(scope).subjects()).containsExactlyInAnyOrder(
                TopologyFixture.TOPICS.commands() + "-value",
                TopologyFixture.TOPICS.events() + "-value",
                TopologyFixture.TOPICS.state() + "-value",
                TopologyFixture.TOPICS.outcomes() + "-value",
                TopologyFixture.TOPICS.sessionKeys() + "-value");
    }
}
