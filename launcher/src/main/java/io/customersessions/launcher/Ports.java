package io.customersessions.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks done before anything binds, so a clash is reported by name instead of as a bind stack trace. */
final class Ports {

    private Ports() {
    }

    /** A port that was free a moment ago. Another process could still take it before we bind: good enough locally. */
    static int free() {
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
        // Bind on all interfaces: that is what the servers do, and it also detects a listener on 0.0.0.0.
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for the " + what + " is already in use: stop whatever"
                    + " listens there (is another launcher running?) or choose another port", e);
        }
    }
}
