package io.customersessions.eventlog.runtime;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When a service runs as a child of the embedded launcher ({@code -Dcustomer-sessions.parent-pid=<pid>}), it exits
 * (running its shutdown hooks) as soon as the launcher is gone, even if the launcher was killed without a chance to
 * stop its children: the embedded default never leaves processes behind.
 */
public final class ParentProcessWatchdog {

    public static final String PARENT_PID_PROPERTY = "customer-sessions.parent-pid";

    private ParentProcessWatchdog() {
    }

    public static void startIfConfigured() {
        Optional.ofNullable(System.getProperty(PARENT_PID_PROPERTY))
                .map(Long::parseLong)
                .ifPresent(ParentProcessWatchdog::watch);
    }

    private static void watch(long parentPid) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parent-process-watchdog");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            boolean alive = ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
            if (!alive) {
                System.err.println("launcher process " + parentPid + " is gone; shutting down");
                System.exit(0);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }
}
