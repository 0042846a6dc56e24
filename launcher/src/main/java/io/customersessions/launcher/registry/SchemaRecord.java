package io.customersessions.launcher.registry;

/**
 * One assignment of the registry: version {@code version} of {@code subject} is the schema with global id
 * {@code id}. Immutable once written; the journal holds one per (subject, version).
 *
 * @param schema the schema's canonical JSON (Avro's {@code Schema.toString()})
 */
public record SchemaRecord(String subject, int version, int id, String schema) {

    /** The journal key: at most one record per subject and version, so compaction keeps every assignment. */
    public String key() {
        return subject + "/" + version;
    }
}
