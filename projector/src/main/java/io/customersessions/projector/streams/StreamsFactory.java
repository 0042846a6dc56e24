package io.customersessions.projector.streams;

import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.admin.TopicAdmin;
import io.customersessions.eventlog.config.LogSettings;
import io.customersessions.eventlog.crypto.KafkaDataKeys;
import io.customersessions.eventlog.serde.AvroSerdes;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Wires the static topology into micronaut-kafka's Kafka Streams support. */
@Factory
public class StreamsFactory {

    @Singleton
    TopologySerdes topologySerdes(LogSettings settings, KafkaDataKeys dataKeys) {
        return TopologySerdes.of(settings.getSerde().getSerializer(), settings.getSerde().getDeserializer(),
                settings.serdeConfig(), dataKeys);
    }

    /**
     * The data keys every reader of the event log (history, views) unseals personal data with. Closed with the
     * context, after Kafka Streams ({@code StreamsShutdown} closes it on the shutdown event, before beans are
     * destroyed).
     */
    @Singleton
    @Bean(preDestroy = "close")
    KafkaDataKeys dataKeys(LogSettings settings, ConfiguredStreamBuilder builder, Generation generation,
                           @Value("${kafka.bootstrap.servers}") String bootstrapServers) {
        Map<String, Object> config = clientConnection(builder, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "customer-sessions-projector");
        var values = AvroSerdes.specific(settings.getSerde().getSerializer(), settings.getSerde().getDeserializer(),
                settings.serdeConfig(), false).deserializer();
        // The processor's history reads in the processor's own transactions; a views generation writes no key.
        return generation.role() == Generation.Role.PROCESSOR
                ? KafkaDataKeys.open(config, settings.topics().sessionKeys(), values)
                : KafkaDataKeys.openOutsideTransactions(config, settings.topics().sessionKeys(), values);
    }

    /**
     * The processor runs as {@code kafka.streams.default.application.id}; a views generation as its own
     * {@code customer-sessions.projector.views-application-id}, so it has a consumer group, offsets and changelogs of
     * its own and reads the event log from the beginning.
     */
    @Singleton
    Generation generation(GenerationSettings settings, LogSettings log,
                          @Value("${kafka.streams.default.application.id}") String processorApplicationId) {
        Topics topics = log.topics();
        return switch (Generation.Role.parse(settings.getRole())) {
            case PROCESSOR -> new Generation(Generation.Role.PROCESSOR, processorApplicationId,
                    List.of(topics.commands(), topics.events()));
            case VIEWS -> new Generation(Generation.Role.VIEWS, settings.getViewsApplicationId(),
                    List.of(topics.events()));
        };
    }

    /**
     * The projector creates the topics (if missing) before its stream starts. A views generation builds the
     * read-only topology ({@link SessionTopology#buildViews}) instead of the processor's; the bean is then the event
     * log stream. With static membership (the default) the instance joins its group as {@link #staticMemberId}.
     */
    @Singleton
    @Named("session-commands")
    KStream<String, ?> sessionStream(ConfiguredStreamBuilder builder, LogSettings settings, TopologySerdes serdes,
                                     Generation generation,
                                     @Value("${kafka.bootstrap.servers}") String bootstrapServers,
                                     @Value("${customer-sessions.streams.static-membership}")
                                     boolean staticMembership,
                                     @Value("${kafka.streams.default.application.server}") String applicationServer) {
        Topics topics = settings.topics();
        TopicAdmin.ensureTopics(clientConnection(builder, bootstrapServers), topics,
                settings.getPartitions(), settings.getReplicationFactor(), 60_000);
        asDurableAsTheLog(builder, settings.getReplicationFactor());
        builder.getConfiguration().put(StreamsConfig.APPLICATION_ID_CONFIG, generation.applicationId());
        if (staticMembership) {
            builder.getConfiguration().putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                    staticMemberId(applicationServer));
        }
        if (generation.role() == Generation.Role.VIEWS) {
            return SessionTopology.buildViews(builder, topics, serdes);
        }
        // Read again by each task as it starts; a value out of bounds fails the start here, not every task later.
        IdempotencyExpiry.retention(builder.getConfiguration().get(IdempotencyExpiry.SETTING));
        return SessionTopology.build(builder, topics, serdes);
    }

    /**
     * Kafka Streams' own topics (the stores' changelogs) replicated as the log's topics are, unless set explicitly:
     * left alone they get the broker's default replication and {@code min.insync.replicas}, often 1, and the
     * processor's decision stores (sessions, remembered outcomes, data keys, claims) cannot be rebuilt from the log.
     */
    static void asDurableAsTheLog(ConfiguredStreamBuilder builder, short replicationFactor) {
        builder.getConfiguration().putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        builder.getConfiguration().putIfAbsent(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                String.valueOf(TopicAdmin.minInSyncReplicas(replicationFactor)));
    }

    /**
     * This instance's {@code group.instance.id}: its {@code application.server}, which is already unique in the
     * group (other instances forward reads to it) and stays the same across restarts, spelled with the characters
     * Kafka allows ({@code host:port} → {@code projector-host-port}; Kafka Streams appends each stream thread's
     * number). A killed and restarted instance rejoins as the same static member and gets its partitions back at
     * once, instead of waiting for its dead member's {@code session.timeout.ms}. A cleanly stopped one still leaves
     * the group ({@link StreamsShutdown}), so its partitions move to the others at once.
     */
    static String staticMemberId(String applicationServer) {
        return "projector-" + applicationServer.replaceAll("[^a-zA-Z0-9._-]+", "-").replaceAll("^-+|-+$", "");
    }

    /**
     * How this service's own clients (topic admin, data-key reader) reach the cluster: the bootstrap servers and
     * the same security settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}) as Kafka Streams.
     */
    static Map<String, Object> clientConnection(ConfiguredStreamBuilder builder, String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        builder.getConfiguration().forEach((key, value) -> {
            String name = key.toString();
            if (name.equals("security.protocol") || name.startsWith("sasl.") || name.startsWith("ssl.")) {
                config.put(name, value);
            }
        });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }
}
