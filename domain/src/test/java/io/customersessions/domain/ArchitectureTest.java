package io.customersessions.domain;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The domain is a pure JDK-only core: no framework imports, no clock, no randomness. */
class ArchitectureTest {

    private static final Path SOURCES = Path.of("src/main/java/io/customersessions/domain");

    private static final List<String> FORBIDDEN_PACKAGES =
            List.of("org.apache.kafka", "io.micronaut", "com.fasterxml", "org.apache.avro");

    private static final Map<String, Pattern> NONDETERMINISM = Map.of(
            "reads a clock", Pattern.compile(
                    "\\b(Instant|LocalDateTime|LocalDate|OffsetDateTime|ZonedDateTime)\\.now\\b"
                            + "|System\\.currentTimeMillis|System\\.nanoTime|\\bClock\\b"),
            "uses randomness", Pattern.compile("UUID\\.randomUUID|\\b(Secure|ThreadLocal)?Random\\b|Math\\.random"));

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void the_domain_imports_only_the_jdk_and_itself() {
        // when
        List<String> problems = new ArrayList<>();
        sources().forEach(file -> problems.addAll(importProblems(file.getFileName().toString(), read(file))));

        // then
        assertThat(problems).isEmpty();
    }

    @Test
    void the_domain_reads_no_clock_and_no_random_source() {
        // when
        List<String> problems = new ArrayList<>();
        sources().forEach(file -> problems.addAll(determinismProblems(file.getFileName().toString(), read(file))));

        // then
        assertThat(problems).isEmpty();
    }

    @Test
    void the_checks_see_the_domain_sources_and_catch_what_they_look_for() {
        // then the scan is not vacuous
        assertThat(sources()).extracting(file -> file.getFileName().toString())
                .contains("SessionDecider.java", "CustomerSession.java");

        // and each rule fires on a sample
        String sample = """
                package io.customersessions.domain;
                import org.apache.kafka.clients.producer.Producer;
                import com.fasterxml.jackson.databind.ObjectMapper;
                import java.util.List;
                class X {
                    Object a = java.time.Instant.now();
                    Object b = new java.util.Random();
                    Object c = Math.random();
                }
                """;
        assertThat(importProblems("X.java", sample)).containsExactly(
                "X.java imports org.apache.kafka.clients.producer.Producer",
                "X.java imports com.fasterxml.jackson.databind.ObjectMapper",
                "X.java refers to org.apache.kafka",
                "X.java refers to com.fasterxml");
        assertThat(determinismProblems("X.java", sample))
                .containsExactlyInAnyOrder("X.java reads a clock", "X.java uses randomness");
        assertThat(determinismProblems("Y.java", "long t = System.currentTimeMillis();"))
                .containsExactly("Y.java reads a clock");
        assertThat(determinismProblems("Y.java", "var id = UUID.randomUUID();"))
                .containsExactly("Y.java uses randomness");
    }

    private static List<String> importProblems(String file, String source) {
        List<String> problems = new ArrayList<>();
        var matcher = IMPORT.matcher(source);
        while (matcher.find()) {
            String imported = matcher.group(2);
            if (!imported.startsWith("java.") && !imported.startsWith("io.customersessions.domain.")) {
                problems.add(file + " imports " + imported);
            }
        }
        for (String forbidden : FORBIDDEN_PACKAGES) {
            if (source.contains(forbidden + ".")) {
                problems.add(file + " refers to " + forbidden);
            }
        }
        return problems.stream().distinct().toList();
    }

    private static List<String> determinismProblems(String file, String source) {
        List<String> problems = new ArrayList<>();
        NONDETERMINISM.forEach((what, pattern) -> {
            if (pattern.matcher(source).find()) {
                problems.add(file + " " + what);
            }
        });
        return problems;
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(file -> file.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
