package io.customersessions.launcher;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;

/**
 * A stand-in for a service JVM in {@link ServiceProcessTest} and {@link EmbeddedSystemTest}. Mode (system property
 * {@code stand-in.mode}): {@code healthy} serves {@code GET /health} on {@code micronaut.server.port};
 * {@code never-healthy} never listens; {@code crash} exits with code 3. It first prints, one per line as
 * {@code key=value}, the system properties it was given that a real service would read.
 */
public final class StandInService {

    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("stand-in.mode", "healthy");
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(key -> key.equals("greeting") || key.startsWith("kafka.") || key.startsWith("micronaut.")
                        || key.startsWith("customer-sessions."))
                .forEach(key -> System.out.println(key + "=" + System.getProperty(key)));
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
