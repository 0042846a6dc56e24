package io.customersessions.bench;

import io.customersessions.projector.streams.SessionTopology;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The projector's Kafka Streams settings ({@code kafka.streams.default} of its {@code application.yml}), so the fold
 * is measured with exactly what the projector runs: exactly_once_v2, its commit interval, poll time, cache size and
 * producer settings. Left out: what names this deployment ({@code application.id}, {@code state.dir}, {@code
 * application.server}), Micronaut's own {@code close-timeout}, and values that are placeholders.
 */
final class ProjectorStreamsSettings {

    private static final Set<String> DEPLOYMENT_KEYS =
            Set.of("application.id", "state.dir", "application.server", "close-timeout");

    private ProjectorStreamsSettings() {
    }

    /** Every setting of {@code kafka.streams.default}, as written (the application id included). */
    static Map<String, Object> all() {
        Map<String, Object> yaml = load();
        Map<String, Object> streams = child(child(child(yaml, "kafka"), "streams"), "default");
        return Collections.unmodifiableMap(new LinkedHashMap<>(streams));
    }

    /**
     * The settings the fold measurement uses: {@link #all()} without the deployment's names and placeholders, then
     * any {@code -Dbench.streams.<key>=<value>} system property (to measure a setting before changing the projector's).
     */
    static Map<String, Object> forMeasurement() {
        Map<String, Object> settings = new LinkedHashMap<>();
        all().forEach((key, value) -> {
            if (!DEPLOYMENT_KEYS.contains(key) && !String.valueOf(value).contains("${")) {
                settings.put(key, value);
            }
        });
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith(OVERRIDE_PREFIX))
                .forEach(name -> settings.put(name.substring(OVERRIDE_PREFIX.length()), System.getProperty(name)));
        return settings;
    }

    private static final String OVERRIDE_PREFIX = "bench.streams.";

    /** The projector's Streams application id: its consumer group on the commands topic. */
    static String applicationId() {
        return String.valueOf(all().get("application.id"));
    }

    /** The projector jar's own application.yml, not another module's with the same name on the class path. */
    private static Map<String, Object> load() {
        URL location = SessionTopology.class.getProtectionDomain().getCodeSource().getLocation();
        try {
            for (URL url : Collections.list(SessionTopology.class.getClassLoader().getResources("application.yml"))) {
                if (url.toString().contains(location.getPath())) {
                    try (InputStream in = url.openStream()) {
                        return new Yaml().load(in);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the projector's application.yml", e);
        }
        throw new IllegalStateException("the projector's application.yml is not on the class path (" + location + ")");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        Object value = parent == null ? null : parent.get(key);
        if (!(value instanceof Map)) {
            throw new IllegalStateException("the projector's application.yml has no " + key + " section");
        }
        return (Map<String, Object>) value;
    }
}
