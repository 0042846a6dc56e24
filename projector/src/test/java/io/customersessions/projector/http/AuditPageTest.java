package io.customersessions.projector.http;

import io.customersessions.domain.CartItem;
import io.customersessions.domain.ReturnedItem;
import io.customersessions.domain.SessionChanges;
import io.customersessions.domain.SessionKey;
import io.customersessions.domain.SessionState;
import io.customersessions.projector.streams.TopologyFixture;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The audit page as a browser renders it: the projector's HTTP server on the stores of a real topology, and the
 * real headless Chromium loading a deep link, whose DOM (after the page's calls) or screenshot is then checked.
 * Skipped, with a message, where no {@code chromium} binary is installed (CI installs Debian's).
 */
@MicronautTest
class AuditPageTest {

    private static final String MANAGEMENT_1 = "ManagementKey-v1 management-key-app-1";
    private static final String INTEGRATION_1 = "ApiKey-v1 integration-key-app-1";
    private static final long CHROMIUM_TIMEOUT_SECONDS = 90;
    private static final Pattern TIMELINE_ROW = Pattern.compile(
            "<tr class=\"event[^\"]*\" data-update-count=\"(\\d+)\"[^>]*>.*?<td class=\"type\">([a-z_]+)</td>");

    @Inject
    TopologyFixture fixture;
    @Inject
    EmbeddedServer server;
    @Inject
    TestClient client;

    private Path userDataDir;

    /**
     * s-1: created with 2 socks at T0+1s (total 25.00), a hat added at T0+2s (45.00), closed at T0+3s, one sock
     * returned at T0+4s (32.50). Its city attribute is markup, which the page must show as text.
     */
    @BeforeEach
    void session() throws IOException {
        fixture.reset();
        SessionKey s1 = new SessionKey(1, "s-1");
        CartItem socks = CartItem.of("SOCK", 2, new BigDecimal("12.50"));
        fixture.send(fixture.upsert(s1, Optional.of(SessionState.OPEN), SessionChanges.NONE
                .withProfileId("customer-1").withCartItems(List.of(socks))
                .withAttributes(new TreeMap<>(Map.of("city", "\"<b>Berlin</b>\"")))));
        fixture.send(fixture.upsert(s1, Optional.empty(), SessionChanges.NONE
                .withCartItems(List.of(socks, CartItem.of("HAT", 1, new BigDecimal("20.00"))))));
        fixture.send(fixture.upsert(s1, Optional.of(SessionState.CLOSED), SessionChanges.NONE));
        fixture.send(fixture.returnItems(s1, "return-1", new ReturnedItem(0, 1)));
        Files.createDirectories(Path.of("target"));
        userDataDir = Files.createTempDirectory(Path.of("target"), "chromium-profile-");
    }

    @AfterEach
    void removeProfile() throws IOException {
        try (Stream<Path> files = Files.walk(userDataDir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Test
    void the_page_is_served_without_a_key_while_its_data_still_needs_one() {
        // when
        TestClient.Reply page = client.get("/audit/", null);
        TestClient.Reply script = client.get("/audit/audit.js", null);
        TestClient.Reply history = client.get("/v1/applications/1/customer_sessions/s-1/events", null);

        // then
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<script src=\"audit.js\"");
        assertThat(script.status()).isEqualTo(200);
        assertThat(history.status()).isEqualTo(401);
    }

    @Test
    void a_deep_link_shows_every_event_and_the_session_as_of_the_chosen_instant() throws Exception {
        // given
        String url = deepLink("2026-11-01T10:00:02.500Z", MANAGEMENT_1, INTEGRATION_1);

        // when
        String dom = chromium("--dump-dom", url);

        // then the timeline: one row per event, oldest first, with the state after it
        List<String> rows = new ArrayList<>();
        Matcher row = TIMELINE_ROW.matcher(dom);
        while (row.find()) {
            rows.add(row.group(1) + " " + row.group(2));
        }
        assertThat(rows).containsExactly("1 talon_session_created", "2 talon_session_updated",
                "3 talon_session_closed", "4 talon_session_partially_returned");
        assertThat(dom).contains("<td class=\"time\">2026-11-01 10:00:03.000</td>", "<td class=\"command\">cmd-4</td>",
                "<td class=\"money total\">32.5</td>", "return-1");
        // and the session as it was right after the second event, that row marked
        assertThat(dom).contains("id=\"asof-updateCount\">2</dd>", "id=\"asof-state\">open</dd>",
                "id=\"asof-total\">45</dd>", "<td>HAT</td>");
        assertThat(dom).containsPattern("<tr class=\"event selected\" data-update-count=\"2\"");
        // data is text, never markup; the keys are in neither the page nor its address
        assertThat(dom).contains("&lt;b&gt;Berlin&lt;/b&gt;").doesNotContain("<b>Berlin</b>");
        assertThat(dom).doesNotContain("management-key-app-1", "integration-key-app-1");
    }

    @Test
    void a_deep_link_instant_without_an_offset_is_utc_in_any_time_zone_of_the_browser() throws Exception {
        // given: the link's instant without "Z", opened by a browser in Tokyo (UTC+9)
        String url = deepLink("2026-11-01T10:00:02.500", MANAGEMENT_1, INTEGRATION_1);

        // when
        String dom = chromium(Map.of("TZ", "Asia/Tokyo"), "--dump-dom", url);

        // then: the session right after its second event, as with "Z", not as of 01:00:02.5Z (before it existed)
        assertThat(dom).contains("id=\"asof-updateCount\">2</dd>", "id=\"asof-total\">45</dd>");
        assertThat(dom).containsPattern("<tr class=\"event selected\" data-update-count=\"2\"");
    }

    @Test
    void a_deep_link_instant_that_is_not_iso_8601_is_shown_as_such() throws Exception {
        // when
        String dom = chromium("--dump-dom", deepLink("November%201", MANAGEMENT_1, INTEGRATION_1));

        // then
        assertThat(dom).contains("is not an instant").doesNotContain("id=\"asof-updateCount\">");
    }

    @Test
    void a_refused_key_is_shown_as_such() throws Exception {
        // given
        String url = deepLink("2026-11-01T10:00:02.500Z", "ManagementKey-v1 guessed", "ApiKey-v1 guessed");

        // when
        String dom = chromium("--dump-dom", url);

        // then
        assertThat(dom).contains("401 Unauthorized: the Management key was refused",
                "401 Unauthorized: the Integration key was refused");
        assertThat(dom).doesNotContain("talon_session_created");
    }

    @Test
    void the_rendered_page_is_a_real_picture() throws Exception {
        // given
        Path png = Path.of("target", "audit-page.png").toAbsolutePath();
        Files.deleteIfExists(png);

        // when
        chromium("--screenshot=" + png, "--window-size=1280,1000",
                deepLink("2026-11-01T10:00:03.500Z", MANAGEMENT_1, INTEGRATION_1));

        // then
        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(1000);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("distinct colours: a blank or single-colour page has a few").hasSizeGreaterThan(32);
    }

    private String deepLink(String asOf, String... keys) {
        StringBuilder fragment = new StringBuilder("app=1&session=s-1&asOf=").append(asOf);
        for (String key : keys) {
            fragment.append("&key=").append(URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return server.getURL() + "/audit/#" + fragment;
    }

    /** Runs headless Chromium on the page; returns what it wrote to stdout (the DOM, with --dump-dom). */
    private String chromium(String... arguments) throws IOException, InterruptedException {
        return chromium(Map.of(), arguments);
    }

    /** The same, with these environment variables (a time zone, say) set for the browser. */
    private String chromium(Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        Optional<Path> binary = chromiumBinary();
        assumeTrue(binary.isPresent(), "no chromium binary on PATH: install Debian's 'chromium' to render the audit page");
        List<String> command = new ArrayList<>(List.of(binary.get().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run",
                "--user-data-dir=" + userDataDir.toAbsolutePath(), "--virtual-time-budget=10000"));
        command.addAll(List.of(arguments));
        Path stdout = userDataDir.resolve("stdout.txt");
        Path stderr = userDataDir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(CHROMIUM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("chromium did not finish within " + CHROMIUM_TIMEOUT_SECONDS + " s: "
                    + Files.readString(stderr));
        }
        assertThat(process.exitValue()).as("chromium's exit status; its stderr: %s", Files.readString(stderr))
                .isZero();
        return Files.readString(stdout);
    }

    private static Optional<Path> chromiumBinary() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "chromium"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
