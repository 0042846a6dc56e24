package io.customersessions.api.http;

import io.micronaut.http.MutableHttpResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayedStatusTest {

    @Test
    void a_standard_status_is_repeated_with_its_reason() {
        // when
        MutableHttpResponse<Object> response = RelayedStatus.of(404);

        // then
        assertThat(response.code()).isEqualTo(404);
        assertThat(response.reason()).isEqualTo("Not Found");
    }

    @Test
    void a_status_micronaut_does_not_know_is_repeated_as_it_is_not_turned_into_a_500() {
        // when a load balancer between the services answered 520
        MutableHttpResponse<Object> response = RelayedStatus.of(520);

        // then
        assertThat(response.code()).isEqualTo(520);
        assertThat(response.reason()).isEqualTo("Status 520");
    }
}
