package io.customersessions.api;

import io.customersessions.api.model.NewCustomerSession;
import io.customersessions.domain.Rejection;
import io.customersessions.domain.SessionCommand;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.customersessions.api.Json.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

class SessionRequestsV1Test {

    private static final SessionKey KEY = new SessionKey(7, "session-1");
    private static final Instant TIME = Instant.parse("2026-11-22T10:15:30.123Z");

    private static Validated<SessionCommand.UpsertSession> parse(String singleQuotedBody) {
        return SessionRequestsV1.parseUpsert("cmd-1", KEY, TIME, 2,
                Json.read(json(singleQuotedBody), NewCustomerSession.class));
    }

    private static SessionCommand.UpsertSession valid(String singleQuotedBody) {
        Validated<SessionCommand.UpsertSession> parsed = parse(singleQuotedBody);
        assertThat(parsed).isInstanceOf(Validated.Valid.class);
        return ((Validated.Valid<SessionCommand.UpsertSession>) parsed).value();
    }

    private static List<String> pointers(Validated<SessionCommand.UpsertSession> parsed) {
        List<Rejection.Violation> violations =
                assertThat(parsed).asInstanceOf(type(Validated.Invalid.class)).actual().violations();
        return violations.stream().map(Rejection.Violation::pointer).toList();
    }

    @Test
    void a_v1_body_maps_onto_the_same_update_as_v2() {
        // when
        SessionCommand.UpsertSession command = valid("{'profileId': 'c-1', 'coupon': 'SPRING', 'referral': 'FRIEND',"
                + " 'state': 'closed', 'total': 999.99, 'identifiers': ['10.0.0.1'],"
                + " 'cartItems': [{'sku': 'a', 'quantity': 2, 'price': 1.25}], 'attributes': {'city': 'Berlin'}}");

        // then
        assertThat(command.key()).isEqualTo(KEY);
        assertThat(command.expectedUpdateCount()).isEqualTo(2);
        assertThat(command.requestedState()).contains(SessionState.CLOSED);
        assertThat(command.changes().profileId()).isEqualTo("c-1");
        assertThat(command.changes().couponCodes()).containsExactly("SPRING");
        assertThat(command.changes().referralCode()).isEqualTo("FRIEND");
        assertThat(command.changes().identifiers()).containsExactly("10.0.0.1");
        assertThat(command.changes().cartItems()).singleElement()
                .satisfies(item -> assertThat(item.quantity()).isEqualTo(2));
        assertThat(command.changes().attributes()).containsEntry("city", "\"Berlin\"");
    }

    @Test
    void an_empty_coupon_discards_the_coupons_and_an_absent_one_keeps_them() {
        assertThat(valid("{'coupon': ''}").changes().couponCodes()).isEmpty();
        assertThat(valid("{}").changes().couponCodes()).isNull();
        assertThat(valid("{'referral': ''}").changes().referralCode()).isEmpty();
    }

    @Test
    void violations_point_into_the_v1_body() {
        // when
        Validated<SessionCommand.UpsertSession> parsed = parse("{'coupon': '" + "x".repeat(101) + "',"
                + " 'referral': '" + "y".repeat(101) + "', 'state': 'paid', 'cartItems': [{'sku': '', 'quantity': 1}]}");

        // then
        assertThat(pointers(parsed)).containsExactlyInAnyOrder("/coupon", "/referral", "/state", "/cartItems/0/sku");
    }

    @Test
    void a_missing_body_is_one_violation_at_the_root() {
        // when
        Validated<SessionCommand.UpsertSession> parsed = SessionRequestsV1.parseUpsert("cmd-1", KEY, TIME, null, null);

        // then
        assertThat(pointers(parsed)).containsExactly("");
    }
}
