package io.customersessions.launcher;

import io.customersessions.launcher.ServiceProcess.Launch;
import io.customersessions.launcher.ServiceProcess.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ClassDataArchiveTest {

    @TempDir
    Path dir;

    private Path jar(String name) throws IOException {
        Path jar = dir.resolve(name);
        Files.writeString(jar, "not really a jar");
        return jar;
    }

    private static ClassDataArchive archive(Path directory, String service, Path jar) {
        return ClassDataArchive.of(directory, service, jar, "/opt/jdk-17", "17.0.15+6").orElseThrow();
    }

    private static String recordingIn(List<String> jvmArgs) {
        assertThat(jvmArgs).containsExactly(jvmArgs.get(0), ClassDataArchive.QUIET);
        assertThat(jvmArgs.get(0)).startsWith("-XX:ArchiveClassesAtExit=");
        return jvmArgs.get(0).substring("-XX:ArchiveClassesAtExit=".length());
    }

    private List<String> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void the_first_start_records_the_archive_and_a_graceful_exit_puts_it_in_place_for_the_next() throws Exception {
        // given
        Path archives = dir.resolve("class-data");
        ClassDataArchive first = archive(archives, "projector", jar("projector.jar"));
        Path recording = Path.of(recordingIn(first.jvmArgs()));
        Files.writeString(recording, "classes"); // what the JVM writes at its exit

        // when
        first.settle(true);

        // then
        ClassDataArchive next = archive(archives, "projector", dir.resolve("projector.jar"));
        assertThat(next.recorded()).isTrue();
        assertThat(next.jvmArgs()).containsExactly("-XX:SharedArchiveFile=" + next.archive(), ClassDataArchive.QUIET);
        assertThat(filesIn(archives)).containsExactly(next.archive().getFileName().toString());
    }

    @Test
    void a_recording_of_a_killed_or_crashed_jvm_is_discarded() throws Exception {
        // given
        Path archives = dir.resolve("class-data");
        ClassDataArchive archive = archive(archives, "projector", jar("projector.jar"));
        Files.writeString(Path.of(recordingIn(archive.jvmArgs())), "half-written");

        // when
        archive.settle(false);

        // then
        assertThat(archive.recorded()).isFalse();
        assertThat(filesIn(archives)).isEmpty();
    }

    @Test
    void a_rebuilt_jar_or_another_jvm_records_an_archive_of_its_own_which_replaces_the_stale_one() throws Exception {
        // given
        Path archives = dir.resolve("class-data");
        Path jar = jar("session-service.jar");
        ClassDataArchive old = archive(archives, "session-service", jar);
        Files.writeString(Path.of(recordingIn(old.jvmArgs())), "classes of the old jar");
        old.settle(true);
        ClassDataArchive otherService = archive(archives, "session", jar("session.jar"));
        Files.writeString(Path.of(recordingIn(otherService.jvmArgs())), "classes of another service");
        otherService.settle(true);

        // when
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        ClassDataArchive rebuilt = archive(archives, "session-service", jar);
        ClassDataArchive otherJvm = ClassDataArchive.of(archives, "session-service", jar, "/opt/jdk-21", "21.0.5")
                .orElseThrow();

        // then
        assertThat(rebuilt.archive()).isNotEqualTo(old.archive());
        assertThat(rebuilt.recorded()).isFalse();
        assertThat(otherJvm.archive()).isNotIn(old.archive(), rebuilt.archive());

        // and when
        Files.writeString(Path.of(recordingIn(rebuilt.jvmArgs())), "classes of the new jar");
        rebuilt.settle(true);

        // then
        assertThat(filesIn(archives)).containsExactlyInAnyOrder(rebuilt.archive().getFileName().toString(),
                otherService.archive().getFileName().toString());
    }

    @Test
    void two_launchers_recording_the_same_jar_at_once_keep_one_archive_and_no_recording() throws Exception {
        // given
        Path archives = dir.resolve("class-data");
        Path jar = jar("projector.jar");
        ClassDataArchive one = archive(archives, "projector", jar);
        ClassDataArchive two = archive(archives, "projector", jar);
        Files.writeString(Path.of(recordingIn(one.jvmArgs())), "classes");
        Files.writeString(Path.of(recordingIn(two.jvmArgs())), "classes");

        // when
        one.settle(true);
        two.settle(true);

        // then
        assertThat(filesIn(archives)).containsExactly(one.archive().getFileName().toString());
    }

    @Test
    void a_recording_left_by_a_killed_launcher_is_deleted_by_a_later_start_not_one_being_written() throws Exception {
        // given
        Path archives = dir.resolve("class-data");
        Path jar = jar("projector.jar");
        Path orphaned = Path.of(recordingIn(archive(archives, "projector", jar).jvmArgs()));
        Files.writeString(orphaned, "written by a JVM whose launcher was killed");
        Files.setLastModifiedTime(orphaned, FileTime.fromMillis(System.currentTimeMillis()
                - ClassDataArchive.ORPHANED_AFTER.toMillis() - 60_000));
        Path beingWritten = Path.of(recordingIn(archive(archives, "projector", jar).jvmArgs()));
        Files.writeString(beingWritten, "a JVM exiting right now");

        // when
        archive(archives, "projector", jar);

        // then
        assertThat(filesIn(archives)).containsExactly(beingWritten.getFileName().toString());
    }

    @Test
    void a_directory_that_cannot_be_created_means_no_archive() throws Exception {
        // given
        Path notADirectory = jar("projector.jar");

        // when / then
        assertThat(ClassDataArchive.of(notADirectory.resolve("class-data"), "projector", notADirectory, "/opt/jdk",
                "17")).isEmpty();
    }

    /**
     * The real JVM: a jar-launched service records its archive when stopped, and its next start maps its classes
     * from it (the JVM's class-load log says where each class came from).
     */
    @Test
    void a_service_stopped_gracefully_starts_next_time_with_its_classes_from_the_archive() throws Exception {
        // given
        Path jar = standInJar();
        Spec spec = Spec.of("stand-in", new Launch.Jar(jar), Ports.free())
                .withProperties(Map.of("stand-in.mode", "healthy"))
                .withJvmArgs(List.of("-Xlog:class+load=info"))
                .withOutput(ServiceOutput.logFiles(dir.resolve("logs")))
                .withReadinessTimeout(Duration.ofSeconds(30))
                .withClassDataSharing(true);
        ServiceProcess first = ServiceProcess.start(spec);
        assertThat(first.startedFromClassDataArchive()).isFalse();

        // when
        first.stop();
        ServiceProcess second = ServiceProcess.start(spec);
        second.stop();

        // then
        assertThat(second.startedFromClassDataArchive()).isTrue();
        assertThat(Files.readString(first.logFile().orElseThrow()))
                .containsPattern("StandInService source: (file:|jar:).*stand-in\\.jar");
        assertThat(Files.readString(second.logFile().orElseThrow()))
                .contains("StandInService source: shared objects file (top)");
    }

    /** A jar holding {@link StandInService} alone: an archive can only be recorded for classes loaded from jars. */
    private Path standInJar() throws IOException {
        Path jar = dir.resolve("stand-in.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StandInService.class.getName());
        String entry = StandInService.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream classFile = StandInService.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
