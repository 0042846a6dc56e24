package io.customersessions.eventlog.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;

/**
 * The contract as it was released: {@code schema-history/<version>/} holds a copy of {@code
 * schemas/src/main/avro} (shared types under {@code common/}). Add a folder for each released change of the
 * contract; the evolution tests then cover it.
 */
record SchemaHistory(String version, List<Schema> topLevelSchemas) {

    static List<SchemaHistory> all() {
        try (Stream<Path> folders = Files.list(root())) {
            return folders.filter(Files::isDirectory).sorted().map(SchemaHistory::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Schema named(String simpleName) {
        return topLevelSchemas.stream().filter(schema -> schema.getName().equals(simpleName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("schema-history/" + version + " has no " + simpleName));
    }

    @Override
    public String toString() {
        return version;
    }

    /** Parses every file with one parser, so files may refer to types defined in others in any order. */
    private static SchemaHistory load(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            SchemaParser parser = new SchemaParser();
            List<SchemaParser.ParseResult> topLevel = new ArrayList<>();
            for (Path file : files.filter(path -> path.toString().endsWith(".avsc")).sorted().toList()) {
                SchemaParser.ParseResult result = parser.parse(file);
                if (file.getParent().equals(folder)) {
                    topLevel.add(result);
                }
            }
            return new SchemaHistory(folder.getFileName().toString(),
                    topLevel.stream().map(parser::resolve).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        try {
            return Path.of(SchemaHistory.class.getResource("/schema-history").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
