package dev.parley.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus's own linter for expositions ({@code promtool check metrics}, Debian package prometheus). */
public final class Promtool {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    public static void requireInstalled() {
        TestPrerequisite.require(Files.isExecutable(PROMTOOL), "promtool is not installed (Debian package prometheus)");
    }

    /** Fails with promtool's complaints unless it accepts {@code text}. */
    public static void check(String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        if (exit != 0) {
            Path input = Files.createTempFile("promtool-input-", ".txt");
            Files.writeString(input, text, StandardCharsets.UTF_8);
            assertThat(exit).as("promtool check metrics < %s exited with %d and said:%n%s", input, exit, out).isZero();
        }
    }
}
