package io.customersessions.launcher.registry;

import static io.customersessions.launcher.registry.TestSchemas.CART_INCOMPATIBLE;
import static io.customersessions.launcher.registry.TestSchemas.CART_V1;
import static io.customersessions.launcher.registry.TestSchemas.CART_V2;
import static io.customersessions.launcher.registry.TestSchemas.PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customersessions.eventlog.serde.AvroWireConfig;
import io.customersessions.eventlog.serde.AvroWireDeserializer;
import io.customersessions.eventlog.serde.AvroWireSerializer;
import io.customersessions.eventlog.serde.HttpSchemaRegistryClient;
import io.customersessions.eventlog.serde.SchemaRegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryHttpServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final SchemaRegistryHttpServer server =
            SchemaRegistryHttpServer.start(SchemaStore.inMemory(), "127.0.0.1", 0);
    private final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(server.url());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_registered_schema_is_found_by_id_and_by_subject() {
        // given
        Schema cart = new Schema.Parser().parse(CART_V1);

        // when
        int id = client.register("carts-value", cart);

        // then
        assertThat(id).isEqualTo(1);
        assertThat(new HttpSchemaRegistryClient(server.url()).byId(id)).isEqualTo(cart);
        assertThat(new HttpSchemaRegistryClient(server.url()).lookup("carts-value", cart)).isEqualTo(id);
    }

    @Test
    void ids_are_stable_across_subjects_and_repeated_registration() {
        // given
        Schema cart = new Schema.Parser().parse(CART_V1);
        Schema payment = new Schema.Parser().parse(PAYMENT);

        // when
        int cartId = client.register("carts-value", cart);
        int paymentId = client.register("payments-value", payment);
        int cartElsewhere = new HttpSchemaRegistryClient(server.url()).register("carts-replay-value", cart);
        int cartAgain = new HttpSchemaRegistryClient(server.url()).register("carts-value", cart);

        // then
        assertThat(paymentId).isEqualTo(2);
        assertThat(cartElsewhere).isEqualTo(cartId).isEqualTo(cartAgain).isEqualTo(1);
    }

    @Test
    void records_round_trip_through_the_wire_serde_configured_with_the_registry_url() {
        // given
        Map<String, Object> config = Map.of(AvroWireConfig.SCHEMA_REGISTRY_URL, server.url());
        AvroWireSerializer serializer = new AvroWireSerializer();
        serializer.configure(config, false);
        AvroWireDeserializer deserializer = new AvroWireDeserializer();
        deserializer.configure(config, false);
        GenericRecord payment = new GenericData.Record(new Schema.Parser().parse(PAYMENT));
        payment.put("amount", 1250L);

        // when
        byte[] bytes = serializer.serialize("payments", payment);
        Object read = deserializer.deserialize("payments", bytes);

        // then
        assertThat(read).isEqualTo(payment);
    }

    @Test
    void an_incompatible_new_version_is_refused_with_409() throws Exception {
        // given
        client.register("carts-value", new Schema.Parser().parse(CART_V1));

        // when
        HttpResponse<String> response = post("/subjects/carts-value/versions", CART_INCOMPATIBLE);

        // then
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error_code").asInt()).isEqualTo(409);
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(server.url())
                .register("carts-value", new Schema.Parser().parse(CART_INCOMPATIBLE)))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessageContaining("incompatible");
    }

    @Test
    void subjects_and_versions_are_listed_and_read() throws Exception {
        // given
        client.register("carts-value", new Schema.Parser().parse(CART_V1));
        client.register("carts-value", new Schema.Parser().parse(CART_V2));
        client.register("payments-value", new Schema.Parser().parse(PAYMENT));

        // when
        JsonNode subjects = json(get("/subjects"));
        JsonNode versions = json(get("/subjects/carts-value/versions"));
        JsonNode latest = json(get("/subjects/carts-value/versions/latest"));
        HttpResponse<String> rawSchema = get("/subjects/carts-value/versions/1/schema");

        // then
        assertThat(subjects.toString()).isEqualTo("[\"carts-value\",\"payments-value\"]");
        assertThat(versions.toString()).isEqualTo("[1,2]");
        assertThat(latest.get("subject").asText()).isEqualTo("carts-value");
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(2);
        assertThat(new Schema.Parser().parse(latest.get("schema").asText()))
                .isEqualTo(new Schema.Parser().parse(CART_V2));
        assertThat(new Schema.Parser().parse(rawSchema.body())).isEqualTo(new Schema.Parser().parse(CART_V1));
    }

    @Test
    void the_schema_of_an_id_is_served_wrapped_and_raw() throws Exception {
        // given
        int id = client.register("payments-value", new Schema.Parser().parse(PAYMENT));

        // when
        HttpResponse<String> wrapped = get("/schemas/ids/" + id);
        HttpResponse<String> raw = get("/schemas/ids/" + id + "/schema");

        // then
        assertThat(wrapped.headers().firstValue("Content-Type")).hasValue("application/vnd.schemaregistry.v1+json");
        assertThat(new Schema.Parser().parse(json(wrapped).get("schema").asText()))
                .isEqualTo(new Schema.Parser().parse(PAYMENT));
        assertThat(new Schema.Parser().parse(raw.body())).isEqualTo(new Schema.Parser().parse(PAYMENT));
    }

    @Test
    void the_compatibility_level_is_backward() throws Exception {
        // when
        JsonNode config = json(get("/config"));

        // then
        assertThat(config.get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void missing_subjects_versions_and_schemas_have_confluents_error_codes() throws Exception {
        // given
        client.register("carts-value", new Schema.Parser().parse(CART_V1));

        // when / then
        assertError(get("/subjects/nothing-value/versions"), 404, 40401);
        assertError(get("/subjects/carts-value/versions/9"), 404, 40402);
        assertError(get("/subjects/carts-value/versions/nine"), 422, 42202);
        assertError(get("/schemas/ids/99"), 404, 40403);
        assertError(post("/subjects/carts-value", PAYMENT), 404, 40403);
        assertError(post("/subjects/nothing-value", PAYMENT), 404, 40401);
    }

    @Test
    void an_invalid_schema_is_refused_with_422() throws Exception {
        // when
        HttpResponse<String> response = post("/subjects/carts-value/versions", "{\"type\": \"record\"}");

        // then
        assertError(response, 422, 42201);
        assertError(get("/subjects/carts-value/versions"), 404, 40401);
    }

    @Test
    void unknown_paths_and_methods_are_refused() throws Exception {
        // when / then
        assertError(get("/nothing"), 404, 404);
        assertError(post("/config", PAYMENT), 405, 405);
    }

    private void assertError(HttpResponse<String> response, int status, int errorCode) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String schema) throws IOException, InterruptedException {
        String body = JSON.createObjectNode().put("schema", schema).toString();
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}
