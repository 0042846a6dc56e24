package io.customersessions.launcher.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * The registry's state and rules, apart from HTTP and from where assignments are kept.
 *
 * <p>Rules, as Confluent's registry with compatibility BACKWARD: a schema (identified by its canonical JSON) has
 * one global id, assigned from 1 upwards on first registration under any subject; a subject holds versions 1..n;
 * registering a schema a subject already holds returns its id and adds no version; a new version must be able to
 * read data written with the subject's latest version.
 *
 * <p>Every new assignment is appended to the {@link Journal} before it takes effect, so what the store answered is
 * durable; replaying the journal into a new store gives the same ids. Methods are synchronized: one writer at a
 * time, which also orders the journal.
 */
public final class SchemaStore {

    /** Where assignments are kept. {@link #append} returns only once the record is durable. */
    @FunctionalInterface
    public interface Journal {
        void append(SchemaRecord record);
    }

    private final Journal journal;
    private final Map<String, NavigableMap<Integer, SchemaRecord>> subjects = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    /**
     * The highest id, and per subject the highest version, ever handed to the journal, stored or not. An append that
     * fails (a timeout, say) may still be written later: its id and version are never assigned again, so a late
     * record can never give a number that another schema holds (after a restart, replaying the journal would
     * otherwise map the id to whichever record came first).
     */
    private int highestId;
    private final Map<String, Integer> highestVersions = new HashMap<>();

    /** A store holding the {@code history} (replayed in order, as read from the journal) and appending to it. */
    public SchemaStore(Journal journal, Iterable<SchemaRecord> history) {
        this.journal = journal;
        history.forEach(this::apply);
    }

    /** An empty store whose assignments are kept nowhere: for tests. */
    public static SchemaStore inMemory() {
        return new SchemaStore(record -> { }, List.of());
    }

    public synchronized SchemaRecord register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String canonical = schema.toString();
        NavigableMap<Integer, SchemaRecord> versions = subjects.getOrDefault(subject, new TreeMap<>());
        for (SchemaRecord existing : versions.values()) {
            if (existing.schema().equals(canonical)) {
                return existing;
            }
        }
        if (!versions.isEmpty()) {
            checkBackwardCompatible(subject, schema, parse(versions.lastEntry().getValue().schema()));
        }
        int id = idsBySchema.getOrDefault(canonical, highestId + 1);
        int version = highestVersions.getOrDefault(subject, 0) + 1;
        SchemaRecord record = new SchemaRecord(subject, version, id, canonical);
        handedOut(record);
        try {
            journal.append(record);
        } catch (RuntimeException e) {
            throw RegistryException.backend("could not store " + record.key() + ": " + e.getMessage(), e);
        }
        apply(record);
        return record;
    }

    /** The version of {@code subject} that holds this schema (Confluent's {@code POST /subjects/{subject}}). */
    public synchronized SchemaRecord lookup(String subject, String schemaText) {
        String canonical = parse(schemaText).toString();
        return versionsOf(subject).values().stream()
                .filter(record -> record.schema().equals(canonical))
                .findFirst()
                .orElseThrow(() -> RegistryException.schemaNotFound("Schema not found in subject '" + subject
                        + "'."));
    }

    public synchronized String schemaById(int id) {
        String schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryException.schemaNotFound("Schema " + id + " not found");
        }
        return schema;
    }

    public synchronized List<String> subjects() {
        return subjects.keySet().stream().sorted().toList();
    }

    public synchronized List<Integer> versions(String subject) {
        return new ArrayList<>(versionsOf(subject).keySet());
    }

    /** A version by number, or the newest for {@code latest} (or {@code -1}, as Confluent accepts). */
    public synchronized SchemaRecord version(String subject, String version) {
        NavigableMap<Integer, SchemaRecord> versions = versionsOf(subject);
        if (version.equals("latest") || version.equals("-1")) {
            return versions.lastEntry().getValue();
        }
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw RegistryException.invalidVersion(version);
        }
        if (number < 1) {
            throw RegistryException.invalidVersion(version);
        }
        SchemaRecord record = versions.get(number);
        if (record == null) {
            throw RegistryException.versionNotFound(subject, version);
        }
        return record;
    }

    private NavigableMap<Integer, SchemaRecord> versionsOf(String subject) {
        NavigableMap<Integer, SchemaRecord> versions = subjects.get(subject);
        if (versions == null) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    private void apply(SchemaRecord record) {
        subjects.computeIfAbsent(record.subject(), ignored -> new TreeMap<>()).put(record.version(), record);
        schemasById.putIfAbsent(record.id(), record.schema());
        idsBySchema.putIfAbsent(record.schema(), record.id());
        handedOut(record);
    }

    private void handedOut(SchemaRecord record) {
        highestId = Math.max(highestId, record.id());
        highestVersions.merge(record.subject(), record.version(), Math::max);
    }

    private static void checkBackwardCompatible(String subject, Schema candidate, Schema latest) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest);
        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw RegistryException.incompatible(subject, result.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                    .toList().toString());
        }
    }

    private static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryException.invalidSchema("no schema given", null);
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (RuntimeException e) { // SchemaParseException, AvroTypeException (e.g. a bad default), ...
            throw RegistryException.invalidSchema(e.getMessage(), e);
        }
    }
}
