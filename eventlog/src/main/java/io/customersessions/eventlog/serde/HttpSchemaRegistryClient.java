package io.customersessions.eventlog.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.errors.InterruptException;

/**
 * A client of Confluent's schema-registry REST API ({@code POST /subjects/{subject}/versions}, {@code POST
 * /subjects/{subject}}, {@code GET /schemas/ids/{id}}), usable against Confluent's registry or our embedded one.
 *
 * <p>Every answer is cached for the life of the client (ids and schemas never change once assigned), so after
 * warm-up a serde makes no HTTP calls. Schemas are cached per subject by {@link AvroSchemas#fingerprint}, so a
 * schema that differs from a cached one only in docs or defaults reuses its id; the bytes written are the same.
 *
 * <p>With several base URLs, a request that cannot reach one URL is sent to the next; the last URL that answered is
 * tried first afterwards. An answer with an error status is not retried.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final Optional<String> authorization;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private volatile int preferredUrl;

    private record SubjectSchema(String subject, long fingerprint) {
    }

    /** A client of one registry with default timeouts (10 s connect, 30 s per request) and no authentication. */
    public HttpSchemaRegistryClient(String baseUrl) {
        this(List.of(baseUrl), Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /**
     * @param baseUrls registry URLs to try in order; user info in a URL is dropped from requests
     * @param basicAuthUserInfo {@code user:password} sent as HTTP basic authentication
     */
    public HttpSchemaRegistryClient(List<String> baseUrls, Optional<String> basicAuthUserInfo, Duration connectTimeout,
            Duration requestTimeout) {
        this(baseUrls, basicAuthUserInfo.map(HttpSchemaRegistryClient::basic), Optional.empty(), connectTimeout,
                requestTimeout);
    }

    /**
     * @param authorization the {@code Authorization} header's value sent with every request
     * @param tls how an {@code https://} registry is trusted and authenticated to; the JVM's default without it
     */
    public HttpSchemaRegistryClient(List<String> baseUrls, Optional<String> authorization, Optional<SSLContext> tls,
            Duration connectTimeout, Duration requestTimeout) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is required");
        }
        this.baseUrls = baseUrls.stream().map(HttpSchemaRegistryClient::withoutUserInfo).toList();
        this.authorization = authorization;
        this.requestTimeout = requestTimeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
        tls.ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /** The {@code Authorization} value of HTTP basic authentication with {@code user:password}. */
    static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, AvroSchemas.fingerprint(schema));
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + pathSegment(subject) + "/versions", schemaBody(schema));
        int id = requiredInt(answer, "id");
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public int lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, AvroSchemas.fingerprint(schema));
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + pathSegment(subject), schemaBody(schema));
        int id = requiredInt(answer, "id");
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema byId(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException(200, 0, "Schema registry answered GET /schemas/ids/" + id
                    + " without a \"schema\" text: " + answer);
        }
        try {
            Schema schema = new Schema.Parser().parse(text.asText());
            Schema previous = schemasById.putIfAbsent(id, schema);
            return previous != null ? previous : schema;
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("Schema " + id + " from the registry is not valid Avro: "
                    + e.getMessage(), e);
        }
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private JsonNode send(String method, String path, String body) {
        int start = preferredUrl;
        IOException lastFailure = null;
        for (int attempt = 0; attempt < baseUrls.size(); attempt++) {
            int index = (start + attempt) % baseUrls.size();
            URI base = baseUrls.get(index);
            HttpRequest request = request(base, method, path, body);
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
            preferredUrl = index;
            return answer(base, method, path, response);
        }
        throw new SchemaRegistryException("Schema registry unreachable at " + baseUrls + " for " + method + " " + path
                + ": " + lastFailure, lastFailure);
    }

    private HttpRequest request(URI base, String method, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + path))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        if (body == null) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", CONTENT_TYPE)
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    private static JsonNode answer(URI base, String method, String path, HttpResponse<String> response) {
        JsonNode json = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300 && json != null) {
            return json;
        }
        int errorCode = json != null && json.hasNonNull("error_code") ? json.get("error_code").asInt() : 0;
        String message = json != null && json.hasNonNull("message") ? json.get("message").asText() : response.body();
        throw new SchemaRegistryException(status, errorCode, "Schema registry " + base + " answered " + method + " "
                + path + " with HTTP " + status + (errorCode != 0 ? " (error " + errorCode + ")" : "") + ": " + message);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(200, 0, "Schema registry answer lacks an integer \"" + field + "\": "
                    + answer);
        }
        return value.asInt();
    }

    /** Percent-encodes a subject for use as one path segment ({@code URLEncoder} would turn spaces into '+'). */
    private static String pathSegment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI withoutUserInfo(String url) {
        URI uri = URI.create(url.trim());
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid schema registry URL " + url, e);
        }
    }
}
