package io.customersessions.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of {@link Bench}, parsed.
 *
 * @param sessions           distinct sessions the HTTP phases spread their requests over
 * @param commands           commands produced, consumed and folded by the limit and fold phases
 * @param foldWarmup         commands per round of unreported folding before the measured fold (on topics of their
 *                           own), rounds repeating while the JIT is busy, so that the measured fold runs compiled
 *                           code as a long-running projector does; 0: none
 * @param footprintSessions  sessions loaded into the running projector before its heap and RSS are measured
 * @param skip               phases not to run
 * @param duration           length of one HTTP measurement (one concurrency level of one kind of request)
 * @param warmup             one round of unreported load before the first level of each kind of request (JIT,
 *                           connections); rounds repeat while the services' JIT is busy (SystemPhases)
 * @param warmupLimit        the longest a warm-up (of the limit, the fold or a kind of request) repeats its rounds
 * @param concurrency        HTTP connections, one measurement per level
 * @param report             where the Markdown report goes; empty: next to the bench jar
 */
record BenchOptions(int sessions, int commands, int foldWarmup, int footprintSessions, Set<Phase> skip,
                    Duration duration, Duration warmup, Duration warmupLimit, List<Integer> concurrency,
                    Optional<Path> report, boolean help) {

    /** The phases, in the order they run. */
    enum Phase {
        LIMIT, FOLD, UPDATES, READS, REPLAY, FOOTPRINT;

        String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String USAGE = """
            usage: java -jar bench/target/bench.jar [--sessions <n>] [--commands <n>] [--fold-warmup <n>]
                   [--footprint-sessions <n>] [--skip <phase,...>] [--duration <time>] [--warmup <time>]
                   [--warmup-limit <time>] [--concurrency <n,...>]
                   [--report <file>] [--help]

            Starts an embedded Kafka broker and schema registry in a fresh temporary directory, measures every
            phase on it in one run, prints one table with the targets, and writes it as Markdown.

              --sessions <n>            distinct sessions of the HTTP phases (default 10000)
              --commands <n>            commands of the limit and fold phases (default 200000); the limit's
                                        warm-up produces and consumes as many other commands per round, until
                                        the JIT compilers use under 10 % of a core (see --warmup-limit)
              --fold-warmup <n>         commands per round of unreported folding before the measured fold, repeated
                                        until the JIT compilers use under 10 % of a core (see --warmup-limit), so
                                        that it measures compiled code like a long-running projector (default 10000;
                                        0: none)
              --footprint-sessions <n>  sessions loaded before measuring the projector's heap and RSS (default 1000000)
              --skip <phase,...>        phases to leave out: limit, fold, updates, reads, replay, footprint
              --duration <time>         length of each HTTP measurement, e.g. 20s, 2m (default 20s)
              --warmup <time>           unreported load before each kind of HTTP request (default 5s; 0s: none),
                                        repeated until the services' JIT compilers use under 10 % of a core
              --warmup-limit <time>     the longest each warm-up (limit, fold, HTTP) repeats its rounds (default 2m)
              --concurrency <n,...>     HTTP connections, one measurement per level (default 8,32,64)
              --report <file>           the Markdown report (default bench-report.md next to bench.jar)
              --help                    this text

            HTTP phases need wrk (/usr/bin/wrk, Debian package wrk); without it they are skipped.
            """;

    static BenchOptions defaults() {
        return new BenchOptions(10_000, 200_000, 10_000, 1_000_000, EnumSet.noneOf(Phase.class), Duration.ofSeconds(20),
                Duration.ofSeconds(5), Duration.ofMinutes(2), List.of(8, 32, 64), Optional.empty(), false);
    }

    static BenchOptions parse(String... args) {
        BenchOptions o = defaults();
        int sessions = o.sessions;
        int commands = o.commands;
        int foldWarmup = o.foldWarmup;
        int footprintSessions = o.footprintSessions;
        Set<Phase> skip = EnumSet.noneOf(Phase.class);
        Duration duration = o.duration;
        Duration warmup = o.warmup;
        Duration warmupLimit = o.warmupLimit;
        List<Integer> concurrency = o.concurrency;
        Optional<Path> report = Optional.empty();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--sessions" -> sessions = positive(value(args, ++i, option), option);
                case "--commands" -> commands = positive(value(args, ++i, option), option);
                case "--fold-warmup" -> foldWarmup = nonNegative(value(args, ++i, option), option);
                case "--footprint-sessions" -> footprintSessions = positive(value(args, ++i, option), option);
                case "--skip" -> skip.addAll(phases(value(args, ++i, option)));
                case "--duration" -> duration = duration(value(args, ++i, option), option, false);
                case "--warmup" -> warmup = duration(value(args, ++i, option), option, true);
                case "--warmup-limit" -> warmupLimit = duration(value(args, ++i, option), option, true);
                case "--concurrency" -> concurrency = Arrays.stream(value(args, ++i, option).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).map(s -> positive(s, option)).toList();
                case "--report" -> report = Optional.of(Path.of(value(args, ++i, option)));
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (concurrency.isEmpty()) {
            throw new IllegalArgumentException("--concurrency needs at least one level");
        }
        return new BenchOptions(sessions, commands, foldWarmup, footprintSessions, skip, duration, warmup, warmupLimit,
                concurrency, report, help);
    }

    boolean runs(Phase phase) {
        return !skip.contains(phase);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int positive(String value, String option) {
        return whole(value, option, 1, "a positive whole number");
    }

    private static int nonNegative(String value, String option) {
        return whole(value, option, 0, "a whole number, 0 or more");
    }

    private static int whole(String value, String option, int least, String what) {
        try {
            int number = Integer.parseInt(value.replace("_", ""));
            if (number >= least) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Reported below, like a number out of range.
        }
        throw new IllegalArgumentException(option + " needs " + what + ", not " + value);
    }

    private static Set<Phase> phases(String list) {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        for (String name : list.split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            phases.add(Arrays.stream(Phase.values()).filter(p -> p.optionName().equals(trimmed)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--skip: unknown phase " + trimmed
                            + " (phases: limit, fold, updates, reads, replay, footprint)")));
        }
        return phases;
    }

    /** {@code 20s}, {@code 500ms}, {@code 2m}; a bare number is seconds. */
    private static Duration duration(String value, String option, boolean zeroAllowed) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration parsed;
            if (text.endsWith("ms")) {
                parsed = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                parsed = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("m")) {
                parsed = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            } else {
                parsed = Duration.ofSeconds(Long.parseLong(text));
            }
            if (parsed.isNegative() || (!zeroAllowed && parsed.toSeconds() < 1)) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a time like 20s or 2m"
                    + (zeroAllowed ? "" : " (at least 1s)") + ", not " + value);
        }
    }
}
