package io.customersessions.projector.streams;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * When the processor asks Kafka Streams to commit early. Every test runs on a thread of its own, because the
 * activity that decides it is per stream thread.
 */
class IdleCommitTest {

    @Test
    void off_unless_configured() throws Exception {
        onNewThread(() -> {
            MockProcessorContext<String, Object> context = new MockProcessorContext<>(quietConfig());
            IdleCommit idleCommit = IdleCommit.of(context);

            idleCommit.processed();

            assertThat(context.scheduledPunctuators()).isEmpty();
            assertThat(context.committed()).isFalse();
        });
    }

    @Test
    void commits_once_two_checks_the_idle_time_apart_saw_nothing_processed_and_not_again_until_a_new_command()
            throws Exception {
        onNewThread(() -> {
            MockProcessorContext<String, Object> context = context(3);
            IdleCommit idleCommit = IdleCommit.of(context);
            idleCommit.processed();
            check(context, 1_000);
            assertThat(context.committed()).as("a command since the previous check").isFalse();

            check(context, 1_002);
            assertThat(context.committed()).as("2 ms after the previous check: too soon to tell").isFalse();

            check(context, 1_003);
            assertThat(context.committed()).as("nothing processed for 3 ms").isTrue();

            context.resetCommit();
            check(context, 1_010);
            assertThat(context.committed()).as("nothing new since the request").isFalse();

            idleCommit.processed();
            check(context, 1_013);
            assertThat(context.committed()).as("a new command since the previous check").isFalse();
            check(context, 1_016);
            assertThat(context.committed()).as("then idle again").isTrue();
        });
    }

    @Test
    void a_long_wait_between_checks_is_not_idle_when_records_were_processed_after_it() throws Exception {
        onNewThread(() -> {
            MockProcessorContext<String, Object> context = context(3);
            IdleCommit idleCommit = IdleCommit.of(context);
            idleCommit.processed();
            check(context, 1_000);
            // the thread commits for 20 ms, then processes what came meanwhile before its next check
            idleCommit.processed();
            check(context, 1_020);
            IdleCommit.busy();
            check(context, 1_040);

            assertThat(context.committed()).as("a command, then a history event, between the checks").isFalse();
        });
    }

    @Test
    void a_quiet_task_does_not_commit_while_another_task_of_its_thread_is_busy() throws Exception {
        onNewThread(() -> {
            MockProcessorContext<String, Object> quiet = context(3);
            MockProcessorContext<String, Object> busy = context(3);
            IdleCommit quietTask = IdleCommit.of(quiet);
            IdleCommit busyTask = IdleCommit.of(busy);
            quietTask.processed();
            for (long now = 1_000; now <= 1_020; now++) {
                busyTask.processed();
                check(quiet, now);
                check(busy, now);
            }
            assertThat(quiet.committed()).isFalse();
            assertThat(busy.committed()).isFalse();

            // once the whole thread is idle, each task asks for its commands (exactly-once v2: one transaction)
            check(quiet, 1_030);
            check(quiet, 1_033);
            check(busy, 1_040);
            assertThat(quiet.committed()).isTrue();
            assertThat(busy.committed()).isTrue();
        });
    }

    @Test
    void every_task_with_a_command_asks_since_the_interval_may_have_committed_the_commands_of_the_first()
            throws Exception {
        onNewThread(() -> {
            MockProcessorContext<String, Object> first = context(3);
            MockProcessorContext<String, Object> second = context(3);
            IdleCommit firstTask = IdleCommit.of(first);
            IdleCommit secondTask = IdleCommit.of(second);
            // the first task's command, then the interval's commit (unseen here), then the second task's command
            firstTask.processed();
            secondTask.processed();

            // when the thread goes idle, the first task checking first
            for (long now = 1_000; now <= 1_003; now += 3) {
                check(first, now);
                check(second, now);
            }

            // then the second asks too: Kafka Streams commits only for a task that asked and has something to commit
            assertThat(first.committed()).isTrue();
            assertThat(second.committed()).isTrue();
        });
    }

    @Test
    void the_task_with_the_command_commits_even_when_another_task_of_its_thread_checks_first() throws Exception {
        onNewThread(() -> {
            MockProcessorContext<String, Object> other = context(3);
            MockProcessorContext<String, Object> withCommand = context(3);
            IdleCommit.of(other);
            IdleCommit task = IdleCommit.of(withCommand);
            task.processed();
            for (long now = 1_000; now <= 1_006; now += 3) {
                check(other, now);
                check(withCommand, now);
            }
            assertThat(other.committed()).as("nothing of its own to commit").isFalse();
            assertThat(withCommand.committed()).isTrue();
        });
    }

    @Test
    void a_busy_task_on_another_thread_does_not_hold_a_commit_back() throws Exception {
        ExecutorService firstThread = Executors.newSingleThreadExecutor();
        ExecutorService otherThread = Executors.newSingleThreadExecutor();
        try {
            MockProcessorContext<String, Object> first = context(3);
            MockProcessorContext<String, Object> other = context(3);
            firstThread.submit(() -> {
                IdleCommit.of(first).processed();
                check(first, 1_000);
            }).get();
            otherThread.submit(() -> {
                IdleCommit task = IdleCommit.of(other);
                for (long now = 1_001; now <= 1_010; now++) {
                    task.processed();
                    check(other, now);
                }
            }).get();
            firstThread.submit(() -> check(first, 1_005)).get();
            assertThat(first.committed()).as("its own thread processed nothing for 5 ms").isTrue();
        } finally {
            firstThread.shutdown();
            otherThread.shutdown();
        }
    }

    @Test
    void a_negative_idle_time_is_refused() {
        assertThatThrownBy(() -> IdleCommit.of(context(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(IdleCommit.SETTING);
    }

    private static MockProcessorContext<String, Object> context(long idleMs) {
        Properties config = quietConfig();
        config.put(IdleCommit.SETTING, String.valueOf(idleMs));
        return new MockProcessorContext<>(config);
    }

    private static Properties quietConfig() {
        Properties config = new Properties();
        config.put("processing.exception.handler.global.enabled", "true");
        return config;
    }

    private static void check(MockProcessorContext<String, Object> context, long nowMs) {
        assertThat(context.scheduledPunctuators()).hasSize(1);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(nowMs);
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void onNewThread(Body body) throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        thread.start();
        thread.join();
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
    }
}
