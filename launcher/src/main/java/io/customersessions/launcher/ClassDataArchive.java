package io.customersessions.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Application class-data sharing for one service's JVM: the first start of a jar records the classes it loaded into
 * an archive when it exits ({@code -XX:ArchiveClassesAtExit}), and later starts map that archive
 * ({@code -XX:SharedArchiveFile}) instead of reading, parsing and verifying the same classes from the jar again.
 *
 * <p>Invariants:
 * <ul>
 *   <li>An archive belongs to one jar file (path, size, modification time) and one JVM: its file name carries a
 *       digest of them, so a rebuilt jar or another JDK records an archive of its own instead of being refused (or
 *       warned about) by the JVM, and the superseded archive of that service is deleted once the new one is in
 *       place.</li>
 *   <li>The JVM writes the archive while it exits; it writes it under a name of its own and {@link #settle} moves it
 *       into place only after a graceful exit, so no start ever maps a half-written archive, even with several
 *       launchers recording at once.</li>
 *   <li>The archive only ever saves start-up work: when the JVM cannot use it, it starts without it.</li>
 * </ul>
 */
final class ClassDataArchive {

    static final String SUFFIX = ".jsa";
    static final String RECORDING = ".recording";
    static final Duration ORPHANED_AFTER = Duration.ofMinutes(10);
    static final String QUIET = "-Xlog:cds*=error";
    private static final String USE = "-XX:SharedArchiveFile=";

    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);

    private final Path archive;
    private final Path recording;
    private final String service;

    private ClassDataArchive(Path archive, Path recording, String service) {
        this.archive = archive;
        this.recording = recording;
        this.service = service;
    }

    /**
     * The archive of {@code jar} for the JVM at {@code javaHome} in {@code directory}; empty when the directory
     * cannot be created or written (the service then starts without one).
     */
    static Optional<ClassDataArchive> of(Path directory, String service, Path jar, String javaHome,
                                         String javaVmVersion) {
        try {
            Files.createDirectories(directory);
            if (!Files.isWritable(directory)) {
                return Optional.empty();
            }
            deleteOrphanedRecordings(directory, service);
            String stamp = stamp(jar, javaHome, javaVmVersion);
            Path archive = directory.resolve(service + "-" + stamp + SUFFIX);
            Path recording = directory.resolve(service + "-" + stamp + "." + UUID.randomUUID() + RECORDING);
            return Optional.of(new ClassDataArchive(archive, recording, service));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The archive of {@code jar} for this very JVM, which launches the services with its own java binary; empty when
     * this JVM runs without class-data sharing (a JDK without its base archive, or {@code -Xshare:off}): recording
     * an archive on top of no base archive is a fatal error at the JVM's start.
     */
    static Optional<ClassDataArchive> forThisJvm(Path directory, String service, Path jar) {
        if (!System.getProperty("java.vm.info", "").contains("sharing")) {
            return Optional.empty();
        }
        return of(directory, service, jar, System.getProperty("java.home"), System.getProperty("java.vm.version"));
    }

    /**
     * Use the archive if it is there; otherwise record it at exit. The JVM's class-data warnings are silenced: it
     * warns about every class it cannot archive (e.g. the JDK's generated reflection accessors), dozens per service.
     */
    List<String> jvmArgs() {
        return List.of(recorded() ? USE + archive : "-XX:ArchiveClassesAtExit=" + recording, QUIET);
    }

    /** Whether {@code jvmArgs}, as returned by {@link #jvmArgs}, start the JVM from the archive. */
    static boolean usesArchive(List<String> jvmArgs) {
        return jvmArgs.get(0).startsWith(USE);
    }

    boolean recorded() {
        return Files.isRegularFile(archive);
    }

    Path archive() {
        return archive;
    }

    /**
     * After the JVM has exited: a recording of a graceful exit becomes the archive (an atomic rename: where another
     * launcher's recording of the same jar got there first, it replaces it or stays, depending on the file system;
     * JVMs that mapped the old file keep their mapping) and older archives of the service are deleted; any other
     * recording is discarded. Synchronized: the child's own exit and the launcher's stop may both settle it.
     */
    synchronized void settle(boolean exitedGracefully) {
        try {
            if (exitedGracefully && Files.isRegularFile(recording) && Files.size(recording) > 0) {
                try {
                    Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException concurrent) {
                    // Another launcher's recording of the same jar is in place, and this file system keeps it.
                }
                deleteSuperseded();
            }
            Files.deleteIfExists(recording);
        } catch (IOException e) {
            LOG.warn("could not put the class-data archive {} in place ({}); the next start records it again",
                    archive, e.toString());
        }
    }

    /**
     * A recording is written while its JVM exits and settled right after; one older than {@link #ORPHANED_AFTER} was
     * left by a launcher that was killed before it could settle it (its children still exit gracefully).
     */
    private static void deleteOrphanedRecordings(Path directory, String service) throws IOException {
        long cutoff = System.currentTimeMillis() - ORPHANED_AFTER.toMillis();
        try (DirectoryStream<Path> recordings = Files.newDirectoryStream(directory, service + "-*" + RECORDING)) {
            for (Path recording : recordings) {
                if (Files.getLastModifiedTime(recording).toMillis() < cutoff) {
                    Files.deleteIfExists(recording);
                }
            }
        }
    }

    private void deleteSuperseded() throws IOException {
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(archive.getParent(),
                service + "-*" + SUFFIX)) {
            for (Path other : archives) {
                if (!other.equals(archive) && isThisService(other)) {
                    Files.deleteIfExists(other);
                }
            }
        }
    }

    /** {@code session-service-<digest>.jsa} must not be taken for an archive of a service named {@code session}. */
    private boolean isThisService(Path other) {
        String name = other.getFileName().toString();
        String stamp = name.substring(service.length() + 1, name.length() - SUFFIX.length());
        return stamp.matches("[0-9a-f]{16}");
    }

    private static String stamp(Path jar, String javaHome, String javaVmVersion) throws IOException {
        Path file = jar.toAbsolutePath().normalize();
        String identity = String.join("\n", file.toString(), String.valueOf(Files.size(file)),
                String.valueOf(Files.getLastModifiedTime(file).toMillis()), javaHome, javaVmVersion);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
