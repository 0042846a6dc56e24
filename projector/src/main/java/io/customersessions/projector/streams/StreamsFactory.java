package io.customersessions.projector.streams;

import io.customersessions.eventlog.Topics;
import io.customersessions.eventlog.admin.TopicAdmin;
import io.customersessions.eventlog.config.LogSettings;
import io.customersessions.eventlog.serde.AvroSerdes;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.kstream.KStream;

import java.util.Map;

/** Wires the static topology into micronaut-kafka's Kafka Streams support. */
@Factory
public class StreamsFactory {

    @Singleton
    TopologySerdes topologySerdes(LogSettings settings) {
        Map<String, Object> config = settings.serdeConfig();
        String ser = settings.getSerde().getSerializer();
        String de = settings.getSerde().getDeserializer();
        return new TopologySerdes(
                AvroSerdes.specific(ser, de, config, false),
                AvroSerdes.specific(ser, de, config, false),
                AvroSerdes.specific(ser, de, config, false),
                AvroSerdes.specific(ser, de, config, false));
    }

    /** The projector owns the log: it creates the topics (if missing) before its stream starts. */
    @Singleton
    @Named("session-commands")
    KStream<String, Object> sessionStream(ConfiguredStreamBuilder builder, LogSettings settings, TopologySerdes serdes,
                                          @Value("${kafka.bootstrap.servers}") String bootstrapServers) {
        Topics topics = settings.topics();
        TopicAdmin.ensureTopics(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics,
                settings.getPartitions(), settings.getReplicationFactor(), 60_000);
        return SessionTopology.build(builder, topics, serdes);
    }
}
