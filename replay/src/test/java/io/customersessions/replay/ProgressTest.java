package io.customersessions.replay;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong();

    @Test
    void the_bar_is_redrawn_in_place_at_most_every_200_ms() {
        // given
        Progress progress = Progress.on(new PrintStream(bytes, true, StandardCharsets.UTF_8), clock::get);
        progress.total(1000);

        // when: three updates within 200 ms, then one after
        progress.advance(100);
        clock.addAndGet(millis(50));
        progress.advance(100);
        clock.addAndGet(millis(100));
        progress.advance(100);
        clock.addAndGet(millis(60));
        progress.advance(100);

        // then
        String drawn = text();
        assertThat(drawn.split("\r", -1)).hasSize(3);
        assertThat(drawn).contains(" 10%").contains(" 40%").doesNotContain(" 20%").doesNotContain("\n");
    }

    @Test
    void the_bar_shows_events_per_second_and_ends_its_line_at_100_percent() {
        // given
        Progress progress = Progress.on(new PrintStream(bytes, true, StandardCharsets.UTF_8), clock::get);
        progress.total(1000);

        // when
        clock.addAndGet(millis(2000));
        for (int i = 0; i < 500_000; i++) {
            progress.folded();
        }
        progress.advance(400);
        progress.finish();

        // then
        String last = text().substring(text().lastIndexOf('\r') + 1);
        assertThat(last).contains("100%").contains("500,000 events folded, 250,000 events/s").contains("0:02")
                .endsWith(System.lineSeparator());
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static long millis(long millis) {
        return millis * 1_000_000;
    }
}
