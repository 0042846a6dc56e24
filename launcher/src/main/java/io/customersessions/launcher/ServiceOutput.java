package io.customersessions.launcher;

import java.nio.file.Path;

/** Where a child service's stdout and stderr go. */
public sealed interface ServiceOutput {

    /** Onto the launcher's own stdout, each line prefixed with {@code [name] }: the interactive run. */
    record Console() implements ServiceOutput {
    }

    /** Into {@code <directory>/<name>-<n>.log}, with the first unused n: tests, where output would drown the report. */
    record LogFiles(Path directory) implements ServiceOutput {
    }

    static ServiceOutput console() {
        return new Console();
    }

    static ServiceOutput logFiles(Path directory) {
        return new LogFiles(directory);
    }
}
