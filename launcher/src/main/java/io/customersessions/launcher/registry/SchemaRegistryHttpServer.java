package io.customersessions.launcher.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subset of Confluent's schema-registry REST API that Avro serializers, deserializers and operators use, over a
 * {@link SchemaStore}:
 *
 * <pre>
 * POST /subjects/{subject}/versions        {"schema": "..."} -> {"id": n}      (register)
 * POST /subjects/{subject}                 {"schema": "..."} -> {"subject", "id", "version", "schema"} (lookup)
 * GET  /subjects                           -> ["subject", ...]
 * GET  /subjects/{subject}/versions        -> [1, 2, ...]
 * GET  /subjects/{subject}/versions/{v}    -> {"subject", "version", "id", "schema"}   (v: number or "latest")
 * GET  /subjects/{subject}/versions/{v}/schema -> the schema itself
 * GET  /schemas/ids/{id}                   -> {"schema": "..."}
 * GET  /schemas/ids/{id}/schema            -> the schema itself
 * GET  /config, /config/{subject}          -> {"compatibilityLevel": "BACKWARD"}
 * </pre>
 *
 * Errors have Confluent's shape, {@code {"error_code": 40401, "message": "..."}}, and status. Only Avro schemas
 * without references are accepted; nothing can be deleted.
 */
public final class SchemaRegistryHttpServer implements AutoCloseable {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final SchemaStore store;
    private final String url;

    private SchemaRegistryHttpServer(HttpServer server, ExecutorService executor, SchemaStore store, String host) {
        this.server = server;
        this.executor = executor;
        this.store = store;
        this.url = "http://" + host + ":" + server.getAddress().getPort();
    }

    /** Serves {@code store} on {@code host:port} ({@code port} 0: a free port) until {@link #close()}. */
    public static SchemaRegistryHttpServer start(SchemaStore store, String host, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " for the schema registry", e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "schema-registry-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        SchemaRegistryHttpServer registry = new SchemaRegistryHttpServer(server, executor, store, host);
        server.createContext("/", registry::handle);
        server.start();
        return registry;
    }

    /** The base URL, e.g. {@code http://localhost:8081}. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Response response;
            try {
                response = route(exchange.getRequestMethod(), segments(exchange.getRequestURI().getRawPath()),
                        exchange.getRequestBody());
            } catch (RegistryException e) {
                response = error(e.httpStatus(), e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("schema registry failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = error(500, 50001, "Error in the schema registry: " + e);
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.status(), body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            LOG.debug("schema registry client went away", e);
        }
    }

    private record Response(int status, String contentType, String body) {
    }

    private Response route(String method, List<String> path, InputStream body) throws IOException {
        int size = path.size();
        String first = size > 0 ? path.get(0) : "";
        if (size == 0) {
            return get(method, JSON.createObjectNode());
        }
        if (first.equals("subjects")) {
            if (size == 1) {
                return get(method, JSON.valueToTree(store.subjects()));
            }
            String subject = path.get(1);
            if (size == 2) {
                requireMethod(method, "POST");
                return ok(versionJson(store.lookup(subject, schemaOf(body))));
            }
            if (path.get(2).equals("versions")) {
                if (size == 3 && method.equals("POST")) {
                    return ok(JSON.createObjectNode().put("id", store.register(subject, schemaOf(body)).id()));
                }
                if (size == 3) {
                    return get(method, JSON.valueToTree(store.versions(subject)));
                }
                if (size == 4) {
                    return get(method, versionJson(store.version(subject, path.get(3))));
                }
                if (size == 5 && path.get(4).equals("schema")) {
                    requireMethod(method, "GET");
                    return new Response(200, CONTENT_TYPE, store.version(subject, path.get(3)).schema());
                }
            }
        } else if (first.equals("schemas") && size >= 3 && path.get(1).equals("ids")) {
            int id = parseId(path.get(2));
            if (size == 3) {
                return get(method, JSON.createObjectNode().put("schema", store.schemaById(id)));
            }
            if (size == 4 && path.get(3).equals("schema")) {
                requireMethod(method, "GET");
                return new Response(200, CONTENT_TYPE, store.schemaById(id));
            }
        } else if (first.equals("config") && size <= 2) {
            return get(method, JSON.createObjectNode().put("compatibilityLevel", "BACKWARD"));
        }
        return error(404, 404, "HTTP 404 Not Found");
    }

    private static Response get(String method, JsonNode json) {
        requireMethod(method, "GET");
        return ok(json);
    }

    private static Response ok(JsonNode json) {
        return new Response(200, CONTENT_TYPE, json.toString());
    }

    private static Response error(int status, int errorCode, String message) {
        return new Response(status, CONTENT_TYPE,
                JSON.createObjectNode().put("error_code", errorCode).put("message", message).toString());
    }

    private static void requireMethod(String actual, String expected) {
        if (!actual.equals(expected)) {
            throw RegistryException.request(405, "HTTP 405 Method Not Allowed");
        }
    }

    private static ObjectNode versionJson(SchemaRecord record) {
        return JSON.createObjectNode()
                .put("subject", record.subject())
                .put("version", record.version())
                .put("id", record.id())
                .put("schema", record.schema());
    }

    /** The schema text of a registration or lookup body; only Avro without references is supported. */
    private static String schemaOf(InputStream body) throws IOException {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw RegistryException.request(400, "Invalid JSON body: " + e.getMessage());
        }
        if (json == null || !json.path("schema").isTextual()) {
            throw RegistryException.invalidSchema("the body needs a \"schema\" string", null);
        }
        String type = json.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw RegistryException.invalidSchema("only AVRO schemas are supported, not " + type, null);
        }
        if (json.path("references").size() > 0) {
            throw RegistryException.invalidSchema("schema references are not supported", null);
        }
        return json.get("schema").asText();
    }

    private static int parseId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("Schema " + text + " not found");
        }
    }

    /** Path segments, percent-decoded one by one so that an encoded '/' stays inside a subject name. */
    private static List<String> segments(String rawPath) {
        return Arrays.stream(rawPath.split("/"))
                .filter(segment -> !segment.isEmpty())
                .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
    }
}
