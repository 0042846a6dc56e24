package io.customersessions.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Port checks done before anything binds, so a clash is reported by name instead of as a bind stack trace. */
public final class Ports {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default, where the range cannot be read. */
    private static final int[] DEFAULT_EPHEMERAL = {32768, 60999};
    private static final int LOWEST = 10_000;
    /** Ports this JVM handed out: never twice, so the services of one system never get the same one. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    /**
     * A port that was free a moment ago, chosen below the kernel's range of ephemeral ports. A child service binds
     * its port seconds after it is chosen, and a port of the ephemeral range may meanwhile become the local port of
     * any outgoing connection on the machine (seen: a projector failing with "port already in use" while the broker
     * started); ports below the range are never handed to connections. Another process could still bind it first:
     * good enough locally. Falls back to an ephemeral port when the range leaves no room below it.
     */
    public static int free() {
        int below = ephemeralRange()[0];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; below - LOWEST >= 1_000 && attempt < 200; attempt++) {
            int port = random.nextInt(LOWEST, below);
            if (bindable(port) && handOut(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free local port", e);
        }
    }

    /** {@code port} itself, or a free one for 0; fails with a message naming {@code what} when the port is taken. */
    static int resolve(int port, String what) {
        if (port == 0) {
            return free();
        }
        if (!bindable(port)) {
            throw new IllegalStateException("port " + port + " for the " + what + " is already in use: stop whatever"
                    + " listens there (is another launcher running?); the launcher's ports are fixed, but with"
                    + " KAFKA_BOOTSTRAP_SERVERS or SCHEMA_REGISTRY_URL set it starts no broker or registry of its own");
        }
        return port;
    }

    /** {@code [lowest, highest]} of the ports the kernel gives outgoing connections. */
    static int[] ephemeralRange() {
        try {
            String[] bounds = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
            return new int[]{Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL.clone();
        }
    }

    /** Bind on all interfaces: that is what the servers do, and it also detects a listener on 0.0.0.0. */
    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static synchronized boolean handOut(int port) {
        return HANDED_OUT.add(port);
    }
}
