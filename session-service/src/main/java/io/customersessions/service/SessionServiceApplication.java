package io.customersessions.service;

import io.customersessions.eventlog.runtime.ParentProcessWatchdog;
import io.micronaut.runtime.Micronaut;
import org.slf4j.LoggerFactory;

public final class SessionServiceApplication {

    private SessionServiceApplication() {
    }

    /** Started without Micronaut's shutdown hook, which cuts requests in flight off: see {@link GracefulServer}. */
    public static void main(String[] args) throws InterruptedException {
        ParentProcessWatchdog.startIfConfigured();
        GracefulServer running;
        try {
            running = GracefulServer.start(Micronaut.build(args).mainClass(SessionServiceApplication.class).build());
        } catch (RuntimeException | Error e) {
            LoggerFactory.getLogger(SessionServiceApplication.class).error("The session-service could not start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "graceful-stop"));
        running.awaitStop();
    }
}
