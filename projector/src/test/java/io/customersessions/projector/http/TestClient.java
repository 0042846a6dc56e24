package io.customersessions.projector.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Requests to the embedded server that answer every status as a value, with the raw body. */
@Singleton
class TestClient {

    record Reply(int status, byte[] bytes, String contentType) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final HttpClient client;

    TestClient(@Client("/") HttpClient client) {
        this.client = client;
    }

    /** {@code authorization} is the whole header value, or null for none. */
    Reply get(String uri, String authorization) {
        return exchange(authorize(HttpRequest.GET(uri), authorization));
    }

    /** With more headers, e.g. a part of a listing gathered across instances. */
    Reply get(String uri, String authorization, Map<String, String> headers) {
        MutableHttpRequest<?> request = authorize(HttpRequest.GET(uri), authorization);
        headers.forEach(request::header);
        return exchange(request);
    }

    Reply post(String uri, byte[] body, String contentType, String authorization) {
        return exchange(authorize(HttpRequest.POST(uri, body).contentType(contentType), authorization));
    }

    private static MutableHttpRequest<?> authorize(MutableHttpRequest<?> request, String authorization) {
        return authorization == null ? request : request.header(HttpHeaders.AUTHORIZATION, authorization);
    }

    private Reply exchange(MutableHttpRequest<?> request) {
        HttpResponse<?> response;
        try {
            response = client.toBlocking().exchange(request, byte[].class);
        } catch (HttpClientResponseException e) {
            response = e.getResponse();
        }
        return new Reply(response.getStatus().getCode(), response.getBody(byte[].class).orElse(new byte[0]),
                response.getContentType().map(Object::toString).orElse(""));
    }
}
