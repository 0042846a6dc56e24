package io.customersessions.replay;

import io.customersessions.eventlog.serde.AvroSerdes;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of {@link Replay}, parsed. Precedence: option, then environment ({@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code SCHEMA_REGISTRY_URL}, as for the launcher), then the embedded default's address.
 *
 * @param deserializer Kafka deserializer class of the values, ours by default; Confluent's {@code
 *                     KafkaAvroDeserializer} works as well (with its jars on the class path)
 * @param config       a properties file whose entries go to the consumer and the deserializer (a real cluster's
 *                     security settings, the registry's {@code basic.auth.user.info})
 */
record ReplayOptions(String bootstrapServers, String schemaRegistryUrl, String topicPrefix, Optional<Instant> since,
                     String deserializer, Optional<Path> config, boolean quiet, boolean help) {

    static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://localhost:8085";

    static final String USAGE = """
            usage: java -jar replay/target/replay.jar [--bootstrap-servers <hosts>] [--schema-registry-url <url>]
                   [--topic-prefix <prefix>] [--since <instant>] [--deserializer <class>] [--config <file>]
                   [--quiet] [--help]

            Folds the whole event log with the domain's evolve and compares every session, field by field, with
            the live projection (the compacted state topic). Reads only; never writes. Exit status: 0 no
            difference, 1 differences, 2 usage error or the log cannot be read.

              --bootstrap-servers <hosts>  the Kafka cluster (default $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092)
              --schema-registry-url <url>  the schema registry (default $SCHEMA_REGISTRY_URL, else
                                           http://localhost:8085)
              --topic-prefix <prefix>      prefix of the topic names (default none)
              --since <instant>            compare only sessions with an event at or after this ISO-8601 instant,
                                           e.g. 2026-01-31T00:00:00Z (their whole history is still folded)
              --deserializer <class>       Kafka deserializer of the values (default ours; Confluent's
                                           io.confluent.kafka.serializers.KafkaAvroDeserializer works too)
              --config <file>              properties for the consumer and the deserializer, e.g.
                                           security.protocol, sasl.jaas.config, basic.auth.user.info
              --quiet                      no progress bar
              --help                       this text
            """;

    static ReplayOptions parse(String[] args, Map<String, String> env) {
        String bootstrapServers = fromEnv(env, "KAFKA_BOOTSTRAP_SERVERS", DEFAULT_BOOTSTRAP_SERVERS);
        String schemaRegistryUrl = fromEnv(env, "SCHEMA_REGISTRY_URL", DEFAULT_SCHEMA_REGISTRY_URL);
        String topicPrefix = "";
        Optional<Instant> since = Optional.empty();
        String deserializer = AvroSerdes.DESERIALIZER;
        Optional<Path> config = Optional.empty();
        boolean quiet = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap-servers" -> bootstrapServers = nonBlank(valueOf(args, ++i), "--bootstrap-servers");
                case "--schema-registry-url" ->
                        schemaRegistryUrl = nonBlank(valueOf(args, ++i), "--schema-registry-url");
                case "--topic-prefix" -> topicPrefix = valueOf(args, ++i).trim();
                case "--since" -> since = Optional.of(instant(valueOf(args, ++i)));
                case "--deserializer" -> deserializer = nonBlank(valueOf(args, ++i), "--deserializer");
                case "--config" -> config = Optional.of(Path.of(nonBlank(valueOf(args, ++i), "--config")));
                case "--quiet", "-q" -> quiet = true;
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new ReplayOptions(bootstrapServers, schemaRegistryUrl, topicPrefix, since, deserializer, config, quiet,
                help);
    }

    private static String fromEnv(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String valueOf(String[] args, int index) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    private static String nonBlank(String value, String option) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value.trim();
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since needs an ISO-8601 instant such as 2026-01-31T00:00:00Z, not "
                    + value);
        }
    }
}
