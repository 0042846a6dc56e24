package io.customersessions.service.http;

import io.customersessions.api.Validated;
import io.customersessions.api.auth.Caller;
import io.customersessions.api.auth.KeyHashes;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionLimits;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What the adapter stamps on every command: a fresh id, the time it accepted the request (millisecond precision,
 * as the log keeps it) and the session key, whose application is always the caller's key's, never the body's.
 */
@Singleton
class CommandStamps {

    private final Clock clock;

    CommandStamps(Clock clock) {
        this.clock = clock;
    }

    String commandId() {
        return UUID.randomUUID().toString();
    }

    Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }

    static SessionKey key(Caller.Integration caller, String customerSessionId) {
        return new SessionKey(caller.applicationId(), customerSessionId);
    }

    /**
     * Who asks for an erasure, as the audit trail records it: {@code integration-api-key:<the first 12 hex digits of
     * the key's SHA-256>}, the prefix of the hash the key is configured by, so an operator can tell which key it was.
     * Never the key itself. {@code authorization} is the header the authentication filter accepted,
     * {@code ApiKey-v1 <key>}.
     */
    static String requestedBy(String authorization) {
        String header = authorization.trim();
        String key = header.substring(header.indexOf(' ') + 1).trim();
        return "integration-api-key:" + KeyHashes.sha256Hex(key).substring(0, 12);
    }

    /**
     * The command time of an update: the clock's, or for a dry run the client's {@code now} (ISO-8601 with a zone
     * or offset, e.g. {@code 2026-11-22T10:15:30Z}), to see how the session would look at that time. A real update
     * never takes its time from the client: the log's times must not go back and forth at a client's wish.
     */
    Validated<Instant> time(boolean dry, String now) {
        if (now == null) {
            return new Validated.Valid<>(now());
        }
        if (!dry) {
            return invalid("now is only accepted with dry=true", "a real update is stamped with the service's clock; "
                    + "'now' sets the time of a dry run only");
        }
        try {
            Instant time = OffsetDateTime.parse(now).toInstant().truncatedTo(ChronoUnit.MILLIS);
            time.toEpochMilli(); // throws beyond epoch milliseconds, the precision of every stored time
            return new Validated.Valid<>(time);
        } catch (DateTimeException | ArithmeticException e) {
            return invalid("invalid now", "'now' must be an ISO-8601 timestamp with a zone, e.g. "
                    + "2026-11-22T10:15:30Z; got '" + now + "'");
        }
    }

    /** What a write does once its {@code dry}, {@code now} and precondition values are read. */
    @FunctionalInterface
    interface Write {
        CompletableFuture<HttpResponse<?>> run(boolean dry, Instant time, Integer expectedUpdateCount);
    }

    /**
     * Reads what every write takes besides its body: {@code dry} ({@link #dry}), {@code now} ({@link #time}) and
     * {@code If-Match} or {@code If-None-Match} ({@link IfMatch}), and runs {@code write} with them, or answers 400
     * naming the value at fault. A client that asks for a dry run must never get a real write because an endpoint
     * ignored the flag.
     */
    CompletableFuture<HttpResponse<?>> write(String dry, String now, String ifMatch, String ifNoneMatch,
                                             Write write) {
        Validated<Boolean> dryParameter = dry(dry);
        if (dryParameter instanceof Validated.Invalid<Boolean> invalid) {
            return Answers.badParameter("dry", invalid);
        }
        boolean dryRun = ((Validated.Valid<Boolean>) dryParameter).value();
        Validated<Instant> time = time(dryRun, now);
        if (time instanceof Validated.Invalid<Instant> invalid) {
            return Answers.badParameter("now", invalid);
        }
        Validated<Integer> expected = IfMatch.parse(ifMatch, ifNoneMatch);
        if (expected instanceof Validated.Invalid<Integer> invalid) {
            return Answers.badParameter(ifNoneMatch == null || ifNoneMatch.isBlank() ? "If-Match" : "If-None-Match",
                    invalid);
        }
        return write.run(dryRun, ((Validated.Valid<Instant>) time).value(),
                ((Validated.Valid<Integer>) expected).value());
    }

    /** What a write that takes an Idempotency-Key does once that is read too (null: none). */
    @FunctionalInterface
    interface KeyedWrite {
        CompletableFuture<HttpResponse<?>> run(boolean dry, Instant time, Integer expectedUpdateCount,
                                               String idempotencyKey);
    }

    /** {@link #write}, and the {@code Idempotency-Key} header ({@link #idempotencyKey}): a bad one is a 400. */
    CompletableFuture<HttpResponse<?>> keyedWrite(String dry, String now, String ifMatch, String ifNoneMatch,
                                                  String idempotencyKey, KeyedWrite write) {
        return write(dry, now, ifMatch, ifNoneMatch, (dryRun, time, expected) -> {
            Validated<String> key = idempotencyKey(idempotencyKey);
            if (key instanceof Validated.Invalid<String> invalid) {
                return Answers.badParameter("Idempotency-Key", invalid);
            }
            return write.run(dryRun, time, expected, ((Validated.Valid<String>) key).value());
        });
    }

    /**
     * {@code dry}: absent is false; otherwise {@code true} or {@code false} (any case). Anything else is refused
     * rather than read as false: a mistyped {@code dry=ture} must not append a real update.
     */
    static Validated<Boolean> dry(String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return new Validated.Valid<>(false);
        }
        if (value.equalsIgnoreCase("true")) {
            return new Validated.Valid<>(true);
        }
        return invalid("invalid dry", "'dry' must be true or false; got '" + value + "'");
    }

    /** Null (no header) is fine; otherwise 1 to {@value SessionLimits#MAX_IDEMPOTENCY_KEY_LENGTH} characters. */
    static Validated<String> idempotencyKey(String header) {
        if (header == null) {
            return new Validated.Valid<>(null);
        }
        if (header.isBlank() || header.length() > SessionLimits.MAX_IDEMPOTENCY_KEY_LENGTH) {
            return invalid("invalid Idempotency-Key", "the Idempotency-Key must have 1 to "
                    + SessionLimits.MAX_IDEMPOTENCY_KEY_LENGTH + " characters (not only blanks); got "
                    + header.length());
        }
        return new Validated.Valid<>(header);
    }

    private static <T> Validated<T> invalid(String title, String details) {
        return new Validated.Invalid<>(List.of(new Rejection.Violation("", title, details)));
    }
}
