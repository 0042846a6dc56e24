package io.customersessions.launcher.registry;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, Confluent-compatible schema registry for the embedded default: the REST API of {@link
 * SchemaRegistryHttpServer} over a {@link SchemaStore} journaled to a compacted Kafka topic ({@link
 * KafkaSchemaJournal}). On start it replays the topic, so ids never change across restarts.
 *
 * <p>Single writer: only one registry instance per Kafka cluster (per topic) is supported; a second one would
 * not see the first one's later assignments and could hand out the same id for another schema.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    /** The journal topic's default name. */
    public static final String DEFAULT_TOPIC = "_customer_sessions_schemas";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    private final KafkaSchemaJournal journal;
    private final SchemaRegistryHttpServer server;

    private EmbeddedSchemaRegistry(KafkaSchemaJournal journal, SchemaRegistryHttpServer server) {
        this.journal = journal;
        this.server = server;
    }

    /**
     * Creates the journal topic if absent, replays it, and serves on {@code host:port} ({@code port} 0: a free port).
     * Returns once the registry answers. The topic gets the cluster's {@code default.replication.factor}: 1 on the
     * embedded broker, and on a cluster as many replicas as its {@code min.insync.replicas} needs for writes.
     */
    public static EmbeddedSchemaRegistry start(String bootstrapServers, String host, int port, String topic) {
        KafkaSchemaJournal journal = KafkaSchemaJournal.open(bootstrapServers, topic);
        try {
            List<SchemaRecord> history = journal.readAll();
            SchemaStore store = new SchemaStore(journal, history);
            SchemaRegistryHttpServer server = SchemaRegistryHttpServer.start(store, host, port);
            LOG.info("schema registry on {}: {} schema versions replayed from {}", server.url(), history.size(),
                    topic);
            return new EmbeddedSchemaRegistry(journal, server);
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /** The base URL for {@code schema.registry.url}, e.g. {@code http://localhost:8085}. */
    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
        journal.close();
    }
}
