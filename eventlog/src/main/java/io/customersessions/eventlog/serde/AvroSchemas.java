package io.customersessions.eventlog.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** Schema helpers shared by the serde and the registry clients. */
public final class AvroSchemas {

    /** The Java-only property that {@code stringType=String} code generation puts on every string type. */
    public static final String JAVA_STRING_PROPERTY = "avro.java.string";
    /** The package of the generated contract classes, which readers must trust to instantiate. */
    public static final String GENERATED_PACKAGE = "io.customersessions.avro";
    /** Avro's system property listing the packages whose classes a {@code SpecificDatumReader} may load. */
    public static final String SERIALIZABLE_PACKAGES_PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AvroSchemas() {
    }

    /**
     * The schema without any {@value #JAVA_STRING_PROPERTY} property, at any depth: the form registered by
     * Confluent's serializer with {@code avro.remove.java.properties=true}, so that producers in any language see the
     * same schema. Default values are left untouched. The binary encoding is the same for both forms.
     */
    public static Schema withoutJavaProperties(Schema schema) {
        try {
            JsonNode tree = JSON.readTree(schema.toString());
            return new Schema.Parser().parse(JSON.writeValueAsString(strip(tree)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Avro printed a schema that is not JSON: " + schema, e);
        }
    }

    /** Identity of a schema for caching: equal for schemas that differ only in docs, defaults or Java properties. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /**
     * Adds {@value #GENERATED_PACKAGE} to Avro's trusted packages unless it is already covered. Avro reads the
     * property once, when its reader classes initialise, so this must run before the first {@code
     * SpecificDatumReader} is created: the serde classes call it from their static initialisers. An explicit
     * {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES=...} that already covers the package is left as is.
     */
    public static synchronized void trustGeneratedClasses() {
        String current = System.getProperty(SERIALIZABLE_PACKAGES_PROPERTY);
        if (current == null || current.isBlank()) {
            System.setProperty(SERIALIZABLE_PACKAGES_PROPERTY, GENERATED_PACKAGE);
        } else if (Arrays.stream(current.split(",")).map(String::trim).noneMatch(AvroSchemas::coversGenerated)) {
            System.setProperty(SERIALIZABLE_PACKAGES_PROPERTY, current + "," + GENERATED_PACKAGE);
        }
    }

    private static boolean coversGenerated(String trusted) {
        return trusted.equals("*") || (GENERATED_PACKAGE + ".").startsWith(trusted + ".");
    }

    private static JsonNode strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(JAVA_STRING_PROPERTY);
            object.properties().forEach(field -> {
                if (!field.getKey().equals("default")) {
                    strip(field.getValue());
                }
            });
        } else if (node instanceof ArrayNode array) {
            array.forEach(AvroSchemas::strip);
        }
        return node;
    }
}
