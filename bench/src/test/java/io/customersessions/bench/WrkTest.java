package io.customersessions.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WrkTest {

    @Test
    void the_result_line_of_the_done_hook_is_read_among_wrks_own_output() {
        // given
        List<String> output = List.of("Running 20s test @ http://localhost:8080", "  2 threads and 8 connections",
                "BENCH-WRK requests=200000 duration_us=20000000 p50_us=700 p95_us=1500 p99_us=2900 max_us=41000 "
                        + "status_errors=3 socket_errors=1");

        // when
        Wrk.Result result = Wrk.parse(output).orElseThrow();

        // then
        assertThat(result.perSecond()).isEqualTo(10_000.0);
        assertThat(result.p99Micros()).isEqualTo(2_900);
        assertThat(result.statusErrors()).isEqualTo(3);
        assertThat(result.socketErrors()).isEqualTo(1);
    }

    @Test
    void a_body_containing_the_lua_closing_bracket_cannot_end_its_string_early(@TempDir Path dir) throws IOException {
        // given
        String body = "{\"customerSession\": {\"attributes\": {\"note\": \"]=]\"}}}";
        Wrk.Load load = new Wrk.Load("PUT", "/v2/customer_sessions/bench-x-", 10_000, "", Map.of("Authorization",
                "ApiKey-v1 dev-integration-key-0001"), List.of(body));

        // when
        String lua = Files.readString(Wrk.script(dir, "updates", load));

        // then
        assertThat(lua).contains("[==[" + body + "]==]", "local ids = 10000", "function done(")
                .contains("headers[ [=[Authorization]=] ] = [=[ApiKey-v1 dev-integration-key-0001]=]");
    }
}
