package io.customersessions.eventlog.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * An in-process registry with Confluent's id rules, for tests and for {@code schema.registry.url=mock://<scope>}:
 * ids are assigned from 1 in registration order, the same schema (by its canonical JSON) has the same id in every
 * subject, and each subject holds versions 1..n. It checks no compatibility.
 *
 * <p>Instances are shared per scope within the JVM, so a serializer and a deserializer configured with the same
 * mock URL see the same schemas.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, Integer> idsByCanonicalForm = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubjectVersion = new HashMap<>();

    /** A registry of its own, not reachable through any scope. */
    public InMemorySchemaRegistry() {
    }

    /** The registry of {@code scope}, created on first use. */
    public static InMemorySchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, ignored -> new InMemorySchemaRegistry());
    }

    /** Forgets the registry of {@code scope}; the next {@link #forScope} starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        String canonical = schema.toString();
        int id = idsByCanonicalForm.computeIfAbsent(canonical, ignored -> schemasById.size() + 1);
        schemasById.putIfAbsent(id, schema);
        List<Integer> versions = idsBySubjectVersion.computeIfAbsent(subject, ignored -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        List<Integer> versions = idsBySubjectVersion.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        Integer id = idsByCanonicalForm.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema not found in subject '" + subject + "'.");
        }
        return id;
    }

    @Override
    public synchronized Schema byId(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema " + id + " not found");
        }
        return schema;
    }

    /** Every subject that has a version, in no particular order. */
    public synchronized Set<String> subjects() {
        return Set.copyOf(idsBySubjectVersion.keySet());
    }

    /** The ids of the subject's versions, version 1 first; empty for an unknown subject. */
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(idsBySubjectVersion.getOrDefault(subject, List.of()));
    }
}
