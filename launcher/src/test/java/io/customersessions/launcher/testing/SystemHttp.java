package io.customersessions.launcher.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP calls of the end-to-end tests, as a checkout would make them: HTTP/1.1, a 30 s timeout, an API key. */
public final class SystemHttp {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code request} with the development Integration API key ({@link TestSystems#INTEGRATION_KEY}). */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, TestSystems.INTEGRATION_KEY);
    }

    /** {@code request} with {@code authorization} (none when null); {@code request} is left as it was, to resend. */
    public HttpResponse<String> send(HttpRequest.Builder request, String authorization) {
        HttpRequest.Builder sent = request.copy().timeout(TIMEOUT);
        if (authorization != null) {
            sent.header("Authorization", authorization);
        }
        try {
            return http.send(sent.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an answer", e);
        }
    }

    /** A JSON body with the Integration API key. */
    public HttpResponse<String> put(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** With the Integration API key. */
    public HttpResponse<String> get(String url) {
        return get(url, TestSystems.INTEGRATION_KEY);
    }

    /** With {@code authorization} (none when null). */
    public HttpResponse<String> get(String url, String authorization) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), authorization);
    }

    public static void assertStatus(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("%s %s answered %s", response.request().method(), response.uri(),
                response.body()).isEqualTo(status);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }
}
