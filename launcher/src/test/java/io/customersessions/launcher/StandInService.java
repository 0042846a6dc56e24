package io.customersessions.launcher;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;

/**
 * A stand-in for a service JVM in {@link ServiceProcessTest}. Mode (first argument by system property
 * {@code stand-in.mode}): {@code healthy} serves {@code GET /health} on {@code micronaut.server.port};
 * {@code never-healthy} never listens; {@code crash} exits with code 3. It always prints what it was given.
 */
public final class StandInService {

    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("stand-in.mode");
        System.out.println("greeting=" + System.getProperty("greeting"));
        System.out.println("parent-pid=" + System.getProperty(ServiceProcess.PARENT_PID_PROPERTY));
        switch (mode) {
            case "healthy" -> {
                int port = Integer.parseInt(System.getProperty(ServiceProcess.PORT_PROPERTY));
                HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
                server.createContext("/health", exchange -> {
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
                server.start();
                System.out.println("serving on " + port);
            }
            case "never-healthy" -> {
                System.out.println("warming up forever");
                Thread.sleep(Long.MAX_VALUE);
            }
            case "crash" -> {
                System.err.println("missing configuration: kafka.bootstrap.servers");
                System.exit(3);
            }
            default -> throw new IllegalArgumentException("unknown stand-in.mode " + mode);
        }
    }
}
