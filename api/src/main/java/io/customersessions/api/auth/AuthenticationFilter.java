package io.customersessions.api.auth;

import io.customersessions.api.RejectionResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Authenticates every request of both services before any controller (or body parsing) runs, and stores the
 * {@link Caller} in the request attribute {@link Caller#ATTRIBUTE}. Deny by default: only {@code /health/**},
 * {@code /prometheus} (operations: status and metrics, no session data) and the
 * files of the projector's audit page ({@link #AUDIT_PAGE}: static, no data; it sends the key itself) are open;
 * {@code /v1/applications/**} (the Management API) needs {@code ManagementKey-v1 <key>} or {@code Bearer <key>};
 * every other path ({@code /v1/customer_sessions/**}, {@code /v2/customer_sessions/**}, {@code /internal/**}, and
 * any path added later) needs an Integration API key, {@code ApiKey-v1 <key>}. A request without a valid key
 * for its path is answered 401 in Talon.One's error shape, so nothing is ever appended for it.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class AuthenticationFilter implements Ordered {

    static final String INTEGRATION_SCHEME = "ApiKey-v1";
    static final String MANAGEMENT_SCHEME = "ManagementKey-v1";
    static final String BEARER_SCHEME = "Bearer";

    /**
     * The audit page's files, exactly: a list rather than a prefix, so that no path the router might resolve
     * elsewhere (a data endpoint added under {@code /audit}, a {@code ..} segment) is ever let through by it.
     */
    static final Set<String> AUDIT_PAGE = Set.of("/audit/", "/audit/index.html", "/audit/audit.js",
            "/audit/audit.css");

    /** Which credentials a path needs. */
    enum Realm {
        OPEN, INTEGRATION, MANAGEMENT;

        private static final Pattern REPEATED_SLASHES = Pattern.compile("/{2,}");

        /** Repeated slashes are collapsed first, so {@code //v1//applications} cannot pass as another realm. */
        static Realm of(String path) {
            String normalized = path.contains("//") ? REPEATED_SLASHES.matcher(path).replaceAll("/") : path;
            if (normalized.equals("/health") || normalized.startsWith("/health/") || normalized.equals("/prometheus")
                    || AUDIT_PAGE.contains(normalized)) {
                return OPEN;
            }
            if (normalized.equals("/v1/applications") || normalized.startsWith("/v1/applications/")) {
                return MANAGEMENT;
            }
            return INTEGRATION;
        }
    }

    private final KeyRing keys;

    public AuthenticationFilter(KeyRing keys) {
        this.keys = keys;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    /** Null lets the request through; a response ends it. */
    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        Realm realm = Realm.of(request.getPath());
        if (realm == Realm.OPEN || standsInForAnUnparseableUri(request)) {
            return null;
        }
        Optional<String> header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        Optional<? extends Caller> caller = header.flatMap(value -> realm == Realm.INTEGRATION
                ? credentials(value, INTEGRATION_SCHEME).flatMap(keys::integration)
                : credentials(value, MANAGEMENT_SCHEME).or(() -> credentials(value, BEARER_SCHEME))
                        .flatMap(keys::management));
        if (caller.isPresent()) {
            request.setAttribute(Caller.ATTRIBUTE, caller.get());
            return null;
        }
        return realm == Realm.INTEGRATION
                ? RejectionResponses.unauthorized(problem(header, INTEGRATION_SCHEME), "send the header "
                        + "'Authorization: ApiKey-v1 <key>' with an Integration API key of your application",
                        INTEGRATION_SCHEME)
                : RejectionResponses.unauthorized(problem(header, MANAGEMENT_SCHEME, BEARER_SCHEME), "send the "
                        + "header 'Authorization: ManagementKey-v1 <key>' (or 'Bearer <key>') with a Management API key",
                        MANAGEMENT_SCHEME + ", " + BEARER_SCHEME);
    }

    /**
     * Micronaut answers a request whose URI it cannot parse (a malformed percent-encoding such as {@code %zz}, a
     * space) through its error handlers only, with a stand-in request for {@code /} that has no headers at all, not
     * even the {@code Host} every HTTP/1.1 request carries. It reaches no controller, so it passes, to be answered
     * 400 "Malformed URI" rather than 401. Nothing is served at {@code /}: a real request for it without any header
     * gets a 404.
     */
    private static boolean standsInForAnUnparseableUri(HttpRequest<?> request) {
        return "/".equals(request.getPath()) && request.getHeaders().isEmpty();
    }

    /** The key after {@code scheme} (compared case-insensitively, as HTTP auth schemes are). */
    private static Optional<String> credentials(String header, String scheme) {
        String value = header.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase(scheme)) {
            return Optional.empty();
        }
        String key = value.substring(space + 1).trim();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    /** Never repeats the key: error bodies end up in logs. */
    private static String problem(Optional<String> header, String... schemes) {
        if (header.isEmpty() || header.get().isBlank()) {
            return "Unauthorized: the Authorization header is missing";
        }
        String scheme = header.get().trim().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        for (String accepted : schemes) {
            if (scheme.equals(accepted.toLowerCase(Locale.ROOT))) {
                return "Unauthorized: the key is not valid";
            }
        }
        return "Unauthorized: this endpoint accepts " + String.join(" or ", schemes) + " keys only";
    }
}
