package io.customersessions.eventlog.serde;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
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
 *   <tr><td>{@value #BEARER_AUTH_CREDENTIALS_SOURCE}</td><td></td><td>{@code STATIC_TOKEN} (take
 *       {@value #BEARER_AUTH_TOKEN}); the only source supported</td></tr>
 *   <tr><td>{@value #BEARER_AUTH_TOKEN}</td><td></td><td>the token sent as {@code Authorization: Bearer}</td></tr>
 *   <tr><td>{@code schema.registry.ssl.truststore.location}, {@code .password}, {@code .type}</td><td>the JVM's
 *       trust</td><td>the certificates an {@code https://} registry is trusted by (type: the JVM's default,
 *       which reads PKCS12 and JKS)</td></tr>
 *   <tr><td>{@code schema.registry.ssl.keystore.location}, {@code .password}, {@code .type}, {@code
 *       schema.registry.ssl.key.password}</td><td></td><td>the client certificate for mutual TLS</td></tr>
 *   <tr><td>{@code schema.registry.ssl.protocol}</td><td>TLS</td><td>the {@code SSLContext} protocol</td></tr>
 *   <tr><td>{@value #HTTP_CONNECT_TIMEOUT_MS}</td><td>10000</td><td>connect timeout to the registry</td></tr>
 *   <tr><td>{@value #HTTP_READ_TIMEOUT_MS}</td><td>30000</td><td>timeout of one registry request</td></tr>
 * </table>
 *
 * <p>Subjects follow Confluent's default TopicNameStrategy: {@code <topic>-value}, or {@code <topic>-key} for keys;
 * {@value #KEY_SUBJECT_NAME_STRATEGY} / {@value #VALUE_SUBJECT_NAME_STRATEGY} naming another strategy are refused.
 * Schemas are always registered without Java properties (Confluent's {@code avro.remove.java.properties=true}).
 * Any other {@code schema.registry.ssl.*} or {@code bearer.auth.*} key is refused rather than ignored: a registry
 * reached without the trust or credentials its settings name fails only at the first record, and then on every one.
 */
public record AvroWireConfig(
        List<String> registryUrls,
        boolean autoRegisterSchemas,
        boolean specificAvroReader,
        Optional<String> basicAuthUserInfo,
        Optional<String> bearerToken,
        Optional<RegistryTls> tls,
        Duration connectTimeout,
        Duration requestTimeout) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String SSL_PREFIX = "schema.registry.ssl.";
    public static final String SSL_TRUSTSTORE_LOCATION = SSL_PREFIX + "truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = SSL_PREFIX + "truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = SSL_PREFIX + "truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = SSL_PREFIX + "keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = SSL_PREFIX + "keystore.password";
    public static final String SSL_KEYSTORE_TYPE = SSL_PREFIX + "keystore.type";
    public static final String SSL_KEY_PASSWORD = SSL_PREFIX + "key.password";
    public static final String SSL_PROTOCOL = SSL_PREFIX + "protocol";
    public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM = SSL_PREFIX + "endpoint.identification.algorithm";
    private static final List<String> SSL_KEYS = List.of(SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD,
            SSL_TRUSTSTORE_TYPE, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD, SSL_KEYSTORE_TYPE, SSL_KEY_PASSWORD,
            SSL_PROTOCOL, SSL_ENDPOINT_IDENTIFICATION_ALGORITHM);
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
        Optional<String> bearerToken = bearerToken(config);
        if (bearerToken.isPresent() && userInfo.isPresent()) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN", "give either basic or bearer "
                    + "authentication for the schema registry, not both");
        }
        return new AvroWireConfig(urls,
                bool(config, AUTO_REGISTER_SCHEMAS, true),
                bool(config, SPECIFIC_AVRO_READER, false),
                userInfo,
                bearerToken,
                RegistryTls.from(config),
                Duration.ofMillis(number(config, HTTP_CONNECT_TIMEOUT_MS, 10_000)),
                Duration.ofMillis(number(config, HTTP_READ_TIMEOUT_MS, 30_000)));
    }

    private static Optional<String> bearerToken(Map<String, ?> config) {
        for (String key : config.keySet()) {
            if (key.startsWith("bearer.auth.") && !key.equals(BEARER_AUTH_CREDENTIALS_SOURCE)
                    && !key.equals(BEARER_AUTH_TOKEN)) {
                throw new ConfigException(key, config.get(key), "not supported: only "
                        + BEARER_AUTH_CREDENTIALS_SOURCE + "=STATIC_TOKEN with " + BEARER_AUTH_TOKEN + " is");
            }
        }
        Optional<String> source = string(config, BEARER_AUTH_CREDENTIALS_SOURCE);
        Optional<String> token = string(config, BEARER_AUTH_TOKEN);
        if (source.isEmpty()) {
            if (token.isPresent()) {
                throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE + "=STATIC_TOKEN is required with "
                        + BEARER_AUTH_TOKEN);
            }
            return Optional.empty();
        }
        if (!source.get().equals("STATIC_TOKEN")) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE, source.get(), "only STATIC_TOKEN is supported");
        }
        return Optional.of(token.orElseThrow(() -> new ConfigException(BEARER_AUTH_TOKEN + " is required when "
                + BEARER_AUTH_CREDENTIALS_SOURCE + "=STATIC_TOKEN")));
    }

    /**
     * How an {@code https://} registry is reached: the stores to trust it by and to authenticate with, under
     * Confluent's {@code schema.registry.ssl.*} keys. Hostname verification is always on.
     */
    public record RegistryTls(Optional<Path> truststore, Optional<String> truststorePassword, String truststoreType,
                              Optional<Path> keystore, Optional<String> keystorePassword, String keystoreType,
                              Optional<String> keyPassword, String protocol) {

        static Optional<RegistryTls> from(Map<String, ?> config) {
            for (String key : config.keySet()) {
                if (key.startsWith(SSL_PREFIX) && !SSL_KEYS.contains(key)) {
                    throw new ConfigException(key, config.get(key), "not supported by this serde: the supported "
                            + "registry TLS keys are " + SSL_KEYS);
                }
            }
            string(config, SSL_ENDPOINT_IDENTIFICATION_ALGORITHM).filter(value -> !value.equalsIgnoreCase("https"))
                    .ifPresent(value -> {
                        throw new ConfigException(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, value, "only https");
                    });
            if (config.containsKey(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM)
                    && string(config, SSL_ENDPOINT_IDENTIFICATION_ALGORITHM).isEmpty()) {
                throw new ConfigException(SSL_ENDPOINT_IDENTIFICATION_ALGORITHM, "", "turning hostname verification "
                        + "off is not supported");
            }
            Optional<Path> truststore = string(config, SSL_TRUSTSTORE_LOCATION).map(Path::of);
            Optional<Path> keystore = string(config, SSL_KEYSTORE_LOCATION).map(Path::of);
            if (truststore.isEmpty() && keystore.isEmpty() && string(config, SSL_PROTOCOL).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new RegistryTls(truststore, string(config, SSL_TRUSTSTORE_PASSWORD),
                    string(config, SSL_TRUSTSTORE_TYPE).orElse(KeyStore.getDefaultType()),
                    keystore, string(config, SSL_KEYSTORE_PASSWORD),
                    string(config, SSL_KEYSTORE_TYPE).orElse(KeyStore.getDefaultType()),
                    string(config, SSL_KEY_PASSWORD), string(config, SSL_PROTOCOL).orElse("TLS")));
        }

        /** @throws ConfigException when a store cannot be read */
        public SSLContext sslContext() {
            try {
                TrustManager[] trust = null; // the JVM's
                if (truststore.isPresent()) {
                    TrustManagerFactory factory = TrustManagerFactory.getInstance(
                            TrustManagerFactory.getDefaultAlgorithm());
                    factory.init(load(truststore.get(), truststoreType, truststorePassword, SSL_TRUSTSTORE_LOCATION));
                    trust = factory.getTrustManagers();
                }
                KeyManager[] keys = null;
                if (keystore.isPresent()) {
                    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    factory.init(load(keystore.get(), keystoreType, keystorePassword, SSL_KEYSTORE_LOCATION),
                            keyPassword.or(() -> keystorePassword).map(String::toCharArray).orElse(null));
                    keys = factory.getKeyManagers();
                }
                SSLContext context = SSLContext.getInstance(protocol);
                context.init(keys, trust, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new ConfigException("The schema registry's TLS settings cannot be used: " + e);
            }
        }

        private static KeyStore load(Path location, String type, Optional<String> password, String key)
                throws GeneralSecurityException {
            KeyStore store = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(location)) {
                store.load(in, password.map(String::toCharArray).orElse(null));
            } catch (IOException e) {
                throw new ConfigException(key, location.toString(), "cannot be read: " + e);
            }
            return store;
        }
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
        Optional<String> authorization = bearerToken.map(token -> "Bearer " + token)
                .or(() -> basicAuthUserInfo.map(HttpSchemaRegistryClient::basic));
        return new HttpSchemaRegistryClient(registryUrls, authorization, tls.map(RegistryTls::sslContext),
                connectTimeout, requestTimeout);
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
