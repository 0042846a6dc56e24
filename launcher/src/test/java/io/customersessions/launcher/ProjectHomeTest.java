package io.customersessions.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectHomeTest {

    @TempDir
    Path dir;

    @Test
    void a_jar_started_from_another_directory_finds_the_service_jars_built_beside_it() throws IOException {
        // given: a built tree, and a working directory outside it
        Path project = builtProject(dir.resolve("project"));
        Path launcherJar = Files.createDirectories(project.resolve("launcher/target")).resolve("launcher.jar");
        Path benchLib = Files.createDirectories(project.resolve("bench/target/lib")).resolve("launcher-1.0.jar");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

        // then: from the launcher's own jar, and from the copy of it among the bench's libraries
        assertThat(ProjectHome.locate(Optional.empty(), elsewhere, Optional.of(launcherJar))).isEqualTo(project);
        assertThat(ProjectHome.locate(Optional.empty(), elsewhere, Optional.of(benchLib))).isEqualTo(project);
        assertThat(ProjectHome.serviceJar(project, "session-service"))
                .isEqualTo(project.resolve("session-service/target/session-service.jar").toAbsolutePath());
    }

    @Test
    void the_property_comes_first_then_the_running_codes_own_build_then_a_working_directory_that_holds_the_jars()
            throws IOException {
        // given: a launcher started from within another built checkout, and one run from the local Maven repository
        Path project = builtProject(dir.resolve("project"));
        Path other = builtProject(dir.resolve("other"));
        Optional<Path> code = Optional.of(project.resolve("launcher/target/launcher.jar"));
        Optional<Path> repository = Optional.of(dir.resolve("m2/repository/io/customersessions/launcher/1/l.jar"));

        // then
        assertThat(ProjectHome.locate(Optional.of("/opt/sessions"), other, code)).isEqualTo(Path.of("/opt/sessions"));
        assertThat(ProjectHome.locate(Optional.empty(), other, code)).isEqualTo(project);
        assertThat(ProjectHome.locate(Optional.empty(), other, repository)).isEqualTo(other);
    }

    @Test
    void without_the_jars_anywhere_the_working_directory_is_kept_and_the_missing_jar_is_named() throws IOException {
        // given: only the projector built, so no directory holds both jars
        Path half = dir.resolve("half");
        Files.createDirectories(half.resolve("projector/target"));
        Files.createFile(half.resolve("projector/target/projector.jar"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

        // when
        Path home = ProjectHome.locate(Optional.empty(), elsewhere, Optional.of(half.resolve("launcher/target/x.jar")));

        // then
        assertThat(home).isEqualTo(elsewhere);
        assertThatThrownBy(() -> ProjectHome.requireServiceJars(half))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the session-service jar is missing at")
                .hasMessageContaining("./mvnw -q -DskipTests package");
    }

    private static Path builtProject(Path root) throws IOException {
        for (String module : ProjectHome.SERVICES) {
            Path target = Files.createDirectories(root.resolve(module).resolve("target"));
            Files.createFile(target.resolve(module + ".jar"));
        }
        return root;
    }
}
