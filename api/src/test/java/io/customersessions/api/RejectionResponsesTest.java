package io.customersessions.api;

import io.customersessions.api.model.ErrorResponse;
import io.customersessions.domain.Rejection;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.customersessions.api.Json.json;
import static io.customersessions.api.Json.tree;
import static io.customersessions.api.Json.write;
import static org.assertj.core.api.Assertions.assertThat;

class RejectionResponsesTest {

    @Test
    void each_reason_has_its_status() {
        assertThat(RejectionResponses.status(Rejection.Reason.INVALID_INPUT).getCode()).isEqualTo(400);
        assertThat(RejectionResponses.status(Rejection.Reason.NOT_FOUND).getCode()).isEqualTo(404);
        assertThat(RejectionResponses.status(Rejection.Reason.FORBIDDEN_TRANSITION).getCode()).isEqualTo(409);
        assertThat(RejectionResponses.status(Rejection.Reason.VERSION_MISMATCH).getCode())
                .isEqualTo(412);
        assertThat(RejectionResponses.status(Rejection.Reason.IDEMPOTENCY_KEY_REUSED).getCode()).isEqualTo(422);
    }

    @Test
    void a_reused_idempotency_key_is_a_422_naming_the_header() {
        // when
        HttpResponse<ErrorResponse> response = RejectionResponses.response(Rejection.of(
                Rejection.Reason.IDEMPOTENCY_KEY_REUSED, "key r-1 was first sent with other items"));

        // then
        assertThat(response.code()).isEqualTo(422);
        assertThat(write(response.body())).isEqualTo(json("""
                {'message':'key r-1 was first sent with other items','errors':[{'title':'idempotency key reused',\
                'details':'key r-1 was first sent with other items','source':{'parameter':'Idempotency-Key'}}],\
                'StatusCode':422}"""));
    }

    @Test
    void violations_become_errors_with_pointers_in_talon_one_shape() {
        // given
        List<Rejection.Violation> violations = List.of(
                new Rejection.Violation("/customerSession/cartItems/0/sku", "missing sku", "needs a sku"),
                new Rejection.Violation("/customerSession/identifiers", "too many identifiers", "at most 5"));

        // when
        HttpResponse<ErrorResponse> response = RejectionResponses.badRequest(violations);

        // then
        assertThat(response.code()).isEqualTo(400);
        assertThat(write(response.body())).isEqualTo(json("""
                {'message':'The request is invalid','errors':[\
                {'title':'missing sku','details':'needs a sku','source':{'pointer':'/customerSession/cartItems/0/sku'}},\
                {'title':'too many identifiers','details':'at most 5',\
                'source':{'pointer':'/customerSession/identifiers'}}],'StatusCode':400}"""));
    }

    @Test
    void a_rejection_without_violations_gets_one_error_naming_the_reason() {
        // given
        Rejection rejection = Rejection.of(Rejection.Reason.FORBIDDEN_TRANSITION,
                "a cancelled session cannot be closed");

        // when
        HttpResponse<ErrorResponse> response = RejectionResponses.response(rejection);

        // then
        assertThat(response.code()).isEqualTo(409);
        JsonNode body = tree(write(response.body()));
        assertThat(body.get("message").getStringValue()).isEqualTo("a cancelled session cannot be closed");
        assertThat(body.get("errors").size()).isEqualTo(1);
        assertThat(body.get("errors").get(0).get("title").getStringValue()).isEqualTo("forbidden state transition");
        assertThat(body.get("errors").get(0).get("details").getStringValue())
                .isEqualTo("a cancelled session cannot be closed");
        assertThat(body.get("errors").get(0).get("source")).isNull();
        assertThat(body.get("StatusCode").getIntValue()).isEqualTo(409);
    }

    @Test
    void a_version_mismatch_is_a_412() {
        assertThat(RejectionResponses.response(Rejection.of(Rejection.Reason.VERSION_MISMATCH, "stale")).code())
                .isEqualTo(412);
    }
}
