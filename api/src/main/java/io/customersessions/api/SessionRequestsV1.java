package io.customersessions.api;

import io.customersessions.api.model.IntegrationRequestV2;
import io.customersessions.api.model.NewCustomerSession;
import io.customersessions.api.model.NewCustomerSessionV2;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;

import java.time.Instant;
import java.util.List;

/**
 * Talon.One's v1 update ({@link NewCustomerSession}) → the same {@link SessionCommand.UpsertSession} as v2, checked
 * by the same rules. The v1 body is the session itself, so pointers address it directly: {@code /cartItems/0/sku},
 * {@code /coupon}, {@code /referral}.
 */
public final class SessionRequestsV1 {

    private SessionRequestsV1() {
    }

    /** As {@link SessionRequests#parseUpsert}, for a v1 body. */
    public static Validated<SessionCommand.UpsertSession> parseUpsert(String commandId, SessionKey key, Instant time,
                                                                      Integer expectedUpdateCount,
                                                                      NewCustomerSession body) {
        IntegrationRequestV2 request = body == null ? null : new IntegrationRequestV2(toV2(body), null);
        Validated<SessionCommand.UpsertSession> parsed =
                SessionRequests.parseUpsert(commandId, key, time, expectedUpdateCount, request);
        if (parsed instanceof Validated.Invalid<SessionCommand.UpsertSession> invalid) {
            if (body == null) {
                return new Validated.Invalid<>(List.of(new Rejection.Violation("", "missing body",
                        "the request body must be a customer session object")));
            }
            return new Validated.Invalid<>(inV1(invalid.violations()));
        }
        return parsed;
    }

    /** {@code coupon: ""} discards the coupons, as {@code couponCodes: []} does in v2. */
    static NewCustomerSessionV2 toV2(NewCustomerSession body) {
        List<String> couponCodes = body.coupon() == null ? null
                : body.coupon().isEmpty() ? List.of() : List.of(body.coupon());
        return new NewCustomerSessionV2(body.profileId(), null, null, couponCodes, body.referral(), null,
                body.state(), body.cartItems(), null, body.identifiers(), body.attributes());
    }

    /**
     * A rejection decided on the command (by the processor: a session grown too large, say), its pointers made
     * v1's, like those of a request refused here.
     */
    public static Rejection inV1(Rejection rejection) {
        return new Rejection(rejection.reason(), rejection.message(), inV1(rejection.violations()));
    }

    private static List<Rejection.Violation> inV1(List<Rejection.Violation> violations) {
        return violations.stream()
                .map(v -> new Rejection.Violation(pointer(v.pointer()), v.title(), v.details()))
                .toList();
    }

    /** A v2 pointer ({@code /customerSession/couponCodes/0}) → the v1 field it came from ({@code /coupon}). */
    static String pointer(String v2) {
        if (!JsonPointers.within(v2, SessionRequests.SESSION)) {
            return v2;
        }
        String inSession = v2.substring(SessionRequests.SESSION.length());
        if (JsonPointers.within(inSession, "/couponCodes")) {
            return "/coupon";
        }
        if (JsonPointers.within(inSession, "/referralCode")) {
            return "/referral" + inSession.substring("/referralCode".length());
        }
        return inSession;
    }
}
