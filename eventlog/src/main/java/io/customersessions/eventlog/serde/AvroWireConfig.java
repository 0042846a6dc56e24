package io.customersessions.eventlog.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde configuration, read from the same keys as Confluent's {@code KafkaAvroSerializer} and {@code
 * KafkaAvroDeserializer}, so one configuration map drives either implementation:
 *
 * <table>
 *   <caption>Configuration keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #SCHEMA_REGISTRY_URL}</td><td>(required)</td><td>comma-separated registry URLs, tried in order
 *       when one cannot be reached; {@code mock://<scope>} selects the in-process {@link InMemorySchemaRegistry}</td></tr>
 *   <tr><td>{@value #AUTO_REGISTER_SCHEMAS}</td><td>true</td><td>serializer: register the record's schema; when
 *       false, the schema must already be registered under the subject</td></tr>
 *   <tr><td>{@value #USE_LATEST_VERSION}</td><td>false</td><td>only false is supported</td></tr>
 *   <tr><td>{@value #SPECIFIC_AVRO_READER}</td><td>false</td><td>deserializer: true gives instances of the generated
 *       classes, false {@code GenericRecord}s</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_CREDENTIALS_SOURCE}</td><td>URL</td><td>{@code USER_INFO} (take
 *       {@value #BASIC_AUTH_USER_INFO}) or {@code URL} (take the URL's user info, if any)</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_USER_INFO}</td><td></td><td>{@code user:password} for HTTP basic auth</td></tr>
 *   <tr><td>{@value #HTTP_CONNECT_TIMEOUT_MS}</td><td>10000</td><td>connect timeout to the registry</td></tr>
 *   <tr><td>{@value #HTTP_READ_TIMEOUT_MS}</td><td>30000</td><td>timeout of one registry request</td></tr>
 * </table>
 *
 * <p>Subjects follow Confluent's default TopicNameStrategy: {@code <topic>-value}, or {@code <topic>-key} for keys;
 * {@value #KEY_SUBJECT_NAME_STRATEGY} / {@value #VALUE_SUBJECT_NAME_STRATEGY} naming another strategy are refused.
 * Schemas are always registered without Java properties (Confluent's {@code avro.remove.java.properties=true}).
 */
public record AvroWireConfig(
        List<String> registryUrls,
        boolean autoRegisterSchemas,
        boolean specificAvroReader,
        Optional<String> basicAuthUserInfo,
        Duration connectTimeout,
        Duration requestTimeout) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    /** The URL scheme that selects the in-process registry, as in Confluent's serializers. */
    public static final String MOCK_SCHEME = "mock://";

    public AvroWireConfig {
        registryUrls = List.copyOf(registryUrls);
        if (registryUrls.isEmpty()) {
            throw new ConfigException("Missing required configuration \"" + SCHEMA_REGISTRY_URL + "\"");
        }
    }

    /** Reads the keys above from a Kafka configuration map; values may be strings or typed. */
    public static AvroWireConfig from(Map<String, ?> config) {
        List<String> urls = Optional.ofNullable(config.get(SCHEMA_REGISTRY_URL))
                .map(AvroWireConfig::urls)
                .orElse(List.of());
        if (bool(config, USE_LATEST_VERSION, false)) {
            throw new ConfigException(USE_LATEST_VERSION, true, "not supported: the serializer writes with the "
                    + "record's own schema");
        }
        for (String key : List.of(KEY_SUBJECT_NAME_STRATEGY, VALUE_SUBJECT_NAME_STRATEGY)) {
            string(config, key).filter(strategy -> !strategy.endsWith(".TopicNameStrategy")).ifPresent(strategy -> {
                throw new ConfigException(key, strategy, "only TopicNameStrategy (<topic>-key, <topic>-value) is "
                        + "supported");
            });
        }
        String source = string(config, BASIC_AUTH_CREDENTIALS_SOURCE).orElse("URL");
        Optional<String> userInfo = switch (source) {
            case "USER_INFO" -> Optional.of(string(config, BASIC_AUTH_USER_INFO).orElseThrow(() -> new ConfigException(
                    BASIC_AUTH_USER_INFO + " is required when " + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO")));
            case "URL" -> urls.stream().filter(url -> !url.startsWith(MOCK_SCHEME))
                    .map(url -> URI.create(url).getRawUserInfo()).filter(info -> info != null).findFirst();
            default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source, "only USER_INFO and URL are "
                    + "supported");
        };
        return new AvroWireConfig(urls,
                bool(config, AUTO_REGISTER_SCHEMAS, true),
                bool(config, SPECIFIC_AVRO_READER, false),
                userInfo,
                Duration.ofMillis(number(config, HTTP_CONNECT_TIMEOUT_MS, 10_000)),
                Duration.ofMillis(number(config, HTTP_READ_TIMEOUT_MS, 30_000)));
    }

    /**
     * The client for these settings: the shared in-memory registry of the scope for a {@code mock://<scope>} URL,
     * an HTTP client otherwise.
     */
    public SchemaRegistryClient client() {
        String first = registryUrls.get(0);
        if (first.startsWith(MOCK_SCHEME)) {
            return InMemorySchemaRegistry.forScope(first.substring(MOCK_SCHEME.length()));
        }
        return new HttpSchemaRegistryClient(registryUrls, basicAuthUserInfo, connectTimeout, requestTimeout);
    }

    private static List<String> urls(Object value) {
        List<?> raw = value instanceof List<?> list ? list : Arrays.asList(value.toString().split(","));
        return raw.stream().map(Object::toString).map(String::trim).filter(url -> !url.isEmpty()).toList();
    }

    private static Optional<String> string(Map<String, ?> config, String key) {
        return Optional.ofNullable(config.get(key)).map(Object::toString).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static boolean bool(Map<String, ?> config, String key, boolean defaultValue) {
        return string(config, key).map(value -> switch (value.toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, value, "expected true or false");
        }).orElse(defaultValue);
    }

    private static long number(Map<String, ?> config, String key, long defaultValue) {
        return string(config, key).map(value -> {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new ConfigException(key, value, "expected a number of milliseconds");
            }
        }).orElse(defaultValue);
    }
}
