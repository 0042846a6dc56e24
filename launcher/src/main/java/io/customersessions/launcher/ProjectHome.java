package io.customersessions.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The project root the service jars are started from ({@code <home>/<module>/target/<module>.jar}). In order: the
 * {@value EmbeddedSystem#HOME_PROPERTY} system property; the nearest of the four directories above the running code
 * that holds both jars (the launcher's and the bench's jars are built into the same tree), so that {@code java -jar
 * /path/to/launcher/target/launcher.jar} works from any directory and starts the services of its own build, even
 * from within another built checkout; the working directory, if it holds them (the running code is elsewhere: a
 * jar of the local Maven repository, say); else the working directory, whose missing jars {@link #serviceJar} then
 * names.
 */
public final class ProjectHome {

    static final List<String> SERVICES = List.of("projector", "session-service");
    /** Deep enough for {@code <home>/bench/target/lib/launcher.jar}, shallow enough not to wander off the tree. */
    private static final int LEVELS_ABOVE_CODE = 4;

    private ProjectHome() {
    }

    /** The home of this JVM: its system property, working directory and the location of this class. */
    public static Path current() {
        return locate(Optional.ofNullable(System.getProperty(EmbeddedSystem.HOME_PROPERTY)), Path.of(""),
                codeLocation());
    }

    static Path locate(Optional<String> property, Path workingDir, Optional<Path> codeLocation) {
        if (property.isPresent()) {
            return Path.of(property.get());
        }
        Path dir = codeLocation.map(path -> path.toAbsolutePath().getParent()).orElse(null);
        for (int up = 0; dir != null && up < LEVELS_ABOVE_CODE; up++, dir = dir.getParent()) {
            if (holdsServiceJars(dir)) {
                return dir;
            }
        }
        return workingDir;
    }

    /** The module's jar under {@code home}; an {@link IllegalStateException} that says how to build it if missing. */
    public static Path serviceJar(Path home, String module) {
        Path jar = jarPath(home, module).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the " + module + " jar is missing at " + jar
                    + ": run ./mvnw -q -DskipTests package first (or set -D" + EmbeddedSystem.HOME_PROPERTY
                    + " to the project root)");
        }
        return jar;
    }

    /** Fails, as {@link #serviceJar} does, unless every service's jar is under {@code home}. */
    public static void requireServiceJars(Path home) {
        SERVICES.forEach(module -> serviceJar(home, module));
    }

    private static boolean holdsServiceJars(Path dir) {
        return SERVICES.stream().allMatch(module -> Files.isRegularFile(jarPath(dir, module)));
    }

    private static Path jarPath(Path home, String module) {
        return home.resolve(module).resolve("target").resolve(module + ".jar");
    }

    private static Optional<Path> codeLocation() {
        try {
            return Optional.of(Path.of(ProjectHome.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
