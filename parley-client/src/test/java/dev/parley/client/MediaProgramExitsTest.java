package dev.parley.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK issue's "a program that used media must be able to exit": a separate JVM, started
 * like a user's program, publishes and receives media through the real server, closes its
 * connections and returns from {@code main}. It must end by itself, with no {@code System.exit}:
 * a native libwebrtc thread left attached as a non-daemon thread would keep it running.
 * Run inside scripts/in-private-netns.
 */
@Tag("media")
class MediaProgramExitsTest {
    /** Generous for a loaded machine; the time actually taken is printed. */
    private static final long EXIT_BOUND_SECONDS = 60;

    private ParleyTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = ParleyTestServer.startAnnouncing(List.of(System.getProperty("parley.announce", "127.0.0.1")),
                "exit", """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aProgramThatPublishedAndReceivedMediaExitsWhenMainReturns() throws Exception {
        Path log = Files.createTempFile("media-program-", ".log");
        Process child = new ProcessBuilder(javaExecutable(), "-cp", testClassPath(),
                "-Dparley.announce=" + System.getProperty("parley.announce", "127.0.0.1"),
                MediaProgramThatReturns.class.getName(), server.ws(), "exit")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        List<String> output = new ArrayList<>();
        try {
            long returnedAt = awaitLine(log, MediaProgramThatReturns.RETURNING, child, 120);
            boolean exited = child.waitFor(EXIT_BOUND_SECONDS, TimeUnit.SECONDS);
            long exitMillis = (System.nanoTime() - returnedAt) / 1_000_000;
            output.addAll(Files.readAllLines(log, StandardCharsets.UTF_8));
            System.out.printf("child JVM: %s %d ms after main returned%n", exited ? "exited" : "still running",
                    exitMillis);
            assertThat(output).as("child output").contains(MediaProgramThatReturns.RECEIVED);
            assertThat(exited).as("child JVM exited within %d s of main returning; its output: %s",
                    EXIT_BOUND_SECONDS, output).isTrue();
            assertThat(child.exitValue()).as("exit status; output: %s", output).isZero();
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /** Waits for {@code line} in the child's output; returns System.nanoTime() when it was seen. */
    private static long awaitLine(Path log, String line, Process child, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            if (lines.contains(line)) {
                return System.nanoTime();
            }
            if (!child.isAlive()) {
                throw new AssertionError("child ended before \"" + line + "\": " + lines);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("child never printed \"" + line + "\": "
                + Files.readAllLines(log, StandardCharsets.UTF_8));
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Surefire may hide the real class path behind a manifest jar; it publishes it here. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
