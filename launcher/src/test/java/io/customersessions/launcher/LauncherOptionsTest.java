package io.customersessions.launcher;

import io.customersessions.launcher.Launcher.Options;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LauncherOptionsTest {

    @Test
    void without_flags_the_demo_runs_300_sessions_on_the_default_data_dir() {
        // when
        Options options = Options.parse();

        // then
        assertThat(options).isEqualTo(new Options(Optional.empty(), true, 300, false));
    }

    @Test
    void flags_set_the_data_dir_the_session_count_and_turn_the_demo_off() {
        // when
        Options options = Options.parse("--data-dir", "/tmp/sessions", "--sessions", "25", "--no-demo");

        // then
        assertThat(options).isEqualTo(new Options(Optional.of(Path.of("/tmp/sessions")), false, 25, false));
    }

    @Test
    void unknown_flags_and_bad_values_are_refused_with_a_reason() {
        assertThatThrownBy(() -> Options.parse("--port", "1")).hasMessage("unknown option --port");
        assertThatThrownBy(() -> Options.parse("--sessions", "0")).hasMessageContaining("positive whole number");
        assertThatThrownBy(() -> Options.parse("--data-dir")).hasMessage("--data-dir needs a value");
    }
}
