package io.customersessions.projector.http;

import io.customersessions.projector.query.StateStores;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Right after a rebalance Kafka Streams' metadata can name this instance as the owner of a partition whose task does
 * not run here yet; a read of that partition's store then throws {@link InvalidStateStoreException} (the point read
 * of {@code InteractiveStateStores} goes to exactly that partition). Every read of one session must answer 503 with
 * Retry-After then, never "not found": the session exists, on a partition that is not readable yet.
 */
@MicronautTest(environments = PartitionWithoutTaskTest.ENVIRONMENT)
class PartitionWithoutTaskTest {

    static final String ENVIRONMENT = "partition-without-task";

    @Inject
    EmbeddedServer server;

    @ParameterizedTest
    @ValueSource(strings = {
            "ApiKey-v1 integration-key-app-1 /v2/customer_sessions/s-1",
            "ApiKey-v1 integration-key-app-1 /v2/customer_sessions/s-1?asOfUpdateCount=1",
            "ManagementKey-v1 management-key-app-1 /v1/applications/1/sessions/1",
            "ManagementKey-v1 management-key-app-1 /v1/applications/1/customer_sessions/s-1/events"})
    void a_read_of_a_partition_whose_task_is_not_running_here_is_503_with_retry_after(String keyAndPath)
            throws Exception {
        // given
        String[] parts = keyAndPath.split(" ");
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.getURL() + parts[2]))
                .header("Authorization", parts[0] + " " + parts[1]).GET().build();

        // when
        HttpResponse<String> reply = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(503);
        assertThat(reply.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(reply.body()).contains("\"message\"", "\"errors\"");
    }

    /** Stores that are found, but whose every read fails as a store of a partition without a running task does. */
    @Singleton
    @Requires(env = ENVIRONMENT)
    @Replaces(StateStores.class)
    static class StoresWithoutTask implements StateStores {
        @Override
        public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
            return new ReadOnlyKeyValueStore<>() {
                private InvalidStateStoreException moved() {
                    return new InvalidStateStoreException("The specified partition 3 for store " + name
                            + " does not exist.");
                }

                @Override
                public V get(String key) {
                    throw moved();
                }

                @Override
                public KeyValueIterator<String, V> range(String from, String to) {
                    throw moved();
                }

                @Override
                public KeyValueIterator<String, V> reverseRange(String from, String to) {
                    throw moved();
                }

                @Override
                public KeyValueIterator<String, V> all() {
                    throw moved();
                }

                @Override
                public KeyValueIterator<String, V> reverseAll() {
                    throw moved();
                }

                @Override
                public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix,
                                                                                          PS prefixKeySerializer) {
                    throw moved();
                }

                @Override
                public long approximateNumEntries() {
                    throw moved();
                }
            };
        }
    }
}
