package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A werift peer (interop/werift/galene-peer.mjs: a WebRTC stack in TypeScript, with its own ICE,
 * DTLS and SRTP) run with Debian's {@code node}. Its JSON event lines are collected as they come.
 */
final class WeriftPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final List<String> log = new ArrayList<>();

    private WeriftPeer(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("werift-stdout").start(() -> read(process.inputReader(StandardCharsets.UTF_8), true));
        Thread.ofPlatform().daemon().name("werift-stderr").start(() -> read(process.errorReader(StandardCharsets.UTF_8), false));
    }

    /**
     * Installs the pinned npm packages into parley-client/target/werift unless there already
     * (scripts/run-tests does it before entering the network namespace, which has no registry).
     */
    static Path install() throws IOException, InterruptedException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("interop/werift/install.sh"))) root = root.getParent();
        if (root == null) throw new IllegalStateException("interop/werift not found above " + Path.of("").toAbsolutePath());
        Path dir = root.resolve("parley-client/target/werift");
        Process p = new ProcessBuilder("bash", root.resolve("interop/werift/install.sh").toString(), dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("cannot install werift (needs node, npm and, the first time, the npm registry): " + out);
        }
        return dir;
    }

    /** Starts {@code node galene-peer.mjs} with {@code args} (see the script's header). */
    static WeriftPeer start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", "galene-peer.mjs"));
        command.addAll(List.of(args));
        return new WeriftPeer(new ProcessBuilder(command).directory(dir.toFile()).start());
    }

    private void read(BufferedReader in, boolean events) {
        try (in) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (log) {
                    log.add(line);
                }
                if (events && line.startsWith("{")) {
                    this.events.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The next event named {@code name} (earlier ones are skipped), or an AssertionError with the log. */
    JsonNode await(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            JsonNode e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) break;
            if (e.path("event").asText().equals("error")) throw new AssertionError("werift failed: " + log());
            if (e.path("event").asText().equals(name)) return e;
        }
        throw new AssertionError("werift sent no '" + name + "' event within " + timeout + "; its output: " + log());
    }

    String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
