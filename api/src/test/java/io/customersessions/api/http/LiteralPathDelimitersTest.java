package io.customersessions.api.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LiteralPathDelimitersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/v2/customer_sessions/s-1|/v2/customer_sessions/s-1",
            "/v1/customer_data/john+doe@shop.com|/v1/customer_data/john%2Bdoe@shop.com",
            "/v2/customer_sessions/a&b;c+d/returns|/v2/customer_sessions/a%26b%3Bc%2Bd/returns",
            "/v2/customer_sessions/a+b?now=2030-01-02T03:04:05+01:00&dry=true"
                    + "|/v2/customer_sessions/a%2Bb?now=2030-01-02T03:04:05+01:00&dry=true",
            "/v2/customer_sessions/a%2Bb|/v2/customer_sessions/a%2Bb",
            "http://localhost:8080/v2/customer_sessions/a+b?x=1+2"
                    + "|http://localhost:8080/v2/customer_sessions/a%2Bb?x=1+2",
            "http://localhost:8080|http://localhost:8080",
            "*|*"})
    void the_delimiters_of_the_path_are_encoded_and_the_query_is_left_alone(String target, String expected) {
        assertThat(LiteralPathDelimiters.encoded(target)).isEqualTo(expected);
    }
}
