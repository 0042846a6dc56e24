package io.customersessions.service;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the HTTP server, and stops it so that no request in flight is cut off. Micronaut's own shutdown hook closes
 * every connection at once: a PUT whose command was already appended, waiting for its outcome, got a connection reset
 * instead of its 200 or 202, and a client that retried it without an {@code Idempotency-Key} applied the change
 * twice. Here a stop (SIGTERM, Ctrl-C, the launcher going away) first closes the listening socket and lets every
 * request in flight be answered, for at most {@value #GRACE_PERIOD} (45 s by default: longer than a PUT can take,
 * its outcome timeout or its send's deadlines, whichever is later); only then are the context's beans stopped (the
 * command producer flushed and closed, commands still waiting to be sent refused, the outcome reader stopped).
 */
public final class GracefulServer {

    public static final String GRACE_PERIOD = "customer-sessions.shutdown-grace-period";
    private static final Logger LOG = LoggerFactory.getLogger(GracefulServer.class);

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final Duration gracePeriod;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private GracefulServer(ApplicationContext context, EmbeddedServer server, Duration gracePeriod) {
        this.context = context;
        this.server = server;
        this.gracePeriod = gracePeriod;
    }

    /** Starts {@code context} and its server; a failure to start stops whatever started and is rethrown. */
    public static GracefulServer start(ApplicationContext context) {
        try {
            context.start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            Duration gracePeriod = context.getProperty(GRACE_PERIOD, Duration.class).orElse(Duration.ofSeconds(45));
            LOG.info("Listening on {}; a stop lets requests in flight finish for up to {} s", server.getURL(),
                    gracePeriod.toSeconds());
            return new GracefulServer(context, server, gracePeriod);
        } catch (RuntimeException | Error e) {
            if (context.isRunning()) {
                context.close();
            }
            throw e;
        }
    }

    public EmbeddedServer server() {
        return server;
    }

    /** Stops as described above: new connections refused, requests in flight answered, then the context stopped. */
    public void stop() {
        if (!server.isRunning()) {
            stopped.countDown();
            return;
        }
        long started = System.nanoTime();
        try {
            ((GracefulShutdownCapable) server).shutdownGracefully().toCompletableFuture()
                    .get(gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Every request in flight was answered within {} ms; stopping",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (TimeoutException e) {
            LOG.warn("Requests still in flight after {} s; closing their connections", gracePeriod.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("Waiting for the requests in flight failed; stopping", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.stop();
            if (context.isRunning()) {
                context.close();
            }
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop} has run. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }
}
