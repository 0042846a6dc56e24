package io.customersessions.projector.routing;

import io.customersessions.projector.query.StoreUnavailableException;
import io.customersessions.api.http.RelayedStatus;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * HTTP between the instances of the group: a request is sent on with its method, path, query, body and the
 * caller's {@code Authorization} (the receiving instance authenticates the caller again), plus one internal header
 * that says why it was sent. Plain HTTP to the address each instance gives as its {@code application.server}.
 */
@Singleton
public class Forwarder {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** Request headers that describe the request itself and go with it. */
    private static final Set<String> SENT = Set.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE,
            HttpHeaders.ACCEPT, HttpHeaders.IF_MATCH).stream().map(h -> h.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    /** Response headers that belong to one connection or that the relaying server sets itself. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "date", "upgrade", "trailer", "te", "proxy-authenticate");

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    private final Duration answerTimeout;

    public Forwarder(@Value("${customer-sessions.routing.answer-timeout:5s}") Duration answerTimeout) {
        this.answerTimeout = answerTimeout;
    }

    /**
     * How long another instance may take to start answering, and then between two lines of a streamed answer: the
     * caller (a checkout, often) gets a 503 to retry rather than waiting on an instance that hangs.
     */
    Duration answerTimeout() {
        return answerTimeout;
    }

    /**
     * Sends {@code request} to {@code owner} marked with {@code header: value} and relays its answer: status,
     * headers and body.
     *
     * @throws StoreUnavailableException when the owner does not answer
     */
    public HttpResponse<?> forward(HostInfo owner, HttpRequest<?> request, byte[] body, String header, String value) {
        java.net.http.HttpResponse<byte[]> answer;
        try {
            answer = client.send(to(owner, request, body, header, value),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(owner, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(owner, e);
        }
        MutableHttpResponse<byte[]> relayed = RelayedStatus.of(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> relayed.getHeaders().add(name, v));
            }
        });
        return answer.body().length == 0 ? relayed : relayed.body(answer.body());
    }

    /** The same request, answered by {@code peer}, asynchronously: for gathering from every instance at once. */
    CompletableFuture<java.net.http.HttpResponse<byte[]>> ask(HostInfo peer, HttpRequest<?> request, String header,
                                                              String value) {
        return ask(peer, request, Map.of(header, value));
    }

    /** As {@link #ask(HostInfo, HttpRequest, String, String)}, marked with several internal headers. */
    CompletableFuture<java.net.http.HttpResponse<byte[]>> ask(HostInfo peer, HttpRequest<?> request,
                                                              Map<String, String> headers) {
        return client.sendAsync(to(peer, request, null, headers),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The same request, answered by {@code peer} as a body read while it arrives (NDJSON, say). */
    java.net.http.HttpResponse<InputStream> streamed(HostInfo peer, HttpRequest<?> request, String header,
                                                     String value) {
        try {
            return client.send(to(peer, request, null, header, value),
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(peer, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(peer, e);
        }
    }

    private java.net.http.HttpRequest to(HostInfo target, HttpRequest<?> request, byte[] body, String header,
                                         String value) {
        return to(target, request, body, Map.of(header, value));
    }

    private java.net.http.HttpRequest to(HostInfo target, HttpRequest<?> request, byte[] body,
                                         Map<String, String> headers) {
        URI received = request.getUri();
        String query = received.getRawQuery();
        URI uri = URI.create("http://" + target.host() + ":" + target.port() + received.getRawPath()
                + (query == null || query.isEmpty() ? "" : "?" + query));
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(uri)
                .timeout(answerTimeout)
                .method(request.getMethodName(), body == null || body.length == 0
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        request.getHeaders().forEach((name, values) -> {
            if (SENT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    /** The instance that should answer could not be reached: the caller retries (503). */
    private static StoreUnavailableException unreachable(HostInfo target, Exception cause) {
        return new StoreUnavailableException("the instance " + target + " that holds the data did not answer: "
                + cause);
    }
}
