package io.customersessions.eventlog.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.customersessions.avro.CommandOutcome;
import io.customersessions.avro.SessionEvent;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroSchemasTest {

    @Test
    void the_generated_schemas_carry_java_string_properties_that_the_registered_form_drops() {
        // given
        Schema generated = CommandOutcome.SCHEMA$;

        // when
        Schema registered = AvroSchemas.withoutJavaProperties(generated);

        // then
        assertThat(generated.toString()).contains(AvroSchemas.JAVA_STRING_PROPERTY);
        assertThat(registered.toString()).doesNotContain(AvroSchemas.JAVA_STRING_PROPERTY);
        assertThat(AvroSchemas.fingerprint(registered)).isEqualTo(AvroSchemas.fingerprint(generated));
    }

    @Test
    void stripping_keeps_docs_defaults_and_logical_types() {
        // when
        Schema registered = AvroSchemas.withoutJavaProperties(SessionEvent.SCHEMA$);

        // then
        assertThat(registered.getDoc()).isEqualTo(SessionEvent.SCHEMA$.getDoc());
        assertThat(registered.getField("time").schema().getLogicalType().getName()).isEqualTo("timestamp-millis");
        Schema changes = registered.getField("payload").schema().getTypes().get(0).getField("changes").schema();
        assertThat(changes.getField("profileId").hasDefaultValue()).isTrue();
    }

    @Test
    void the_generated_package_is_trusted_by_avro_readers() {
        // when
        AvroSchemas.trustGeneratedClasses();

        // then
        String trusted = System.getProperty(AvroSchemas.SERIALIZABLE_PACKAGES_PROPERTY);
        assertThat(trusted.split(",")).anySatisfy(entry ->
                assertThat(AvroSchemas.GENERATED_PACKAGE + ".").startsWith(entry.trim() + "."));
    }
}
