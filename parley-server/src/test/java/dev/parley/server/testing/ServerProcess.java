package dev.parley.server.testing;

import dev.parley.server.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server as its own process, started the way an operator's script starts it (the test's
 * class path stands in for the jar), on loopback with plain HTTP, in a scratch directory.
 * Everything it prints (standard output and error) is kept, line by line.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;
    private final List<String> lines = new ArrayList<>();
    private int port;

    private ServerProcess(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the server with {@code root}'s data, groups and recordings, plus {@code flags}. */
    public static ServerProcess start(Path root, String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",           // as the ./parley launcher runs it
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=logback.xml",      // the jar's, not the tests' logback-test.xml
                Main.class.getName(),
                "-insecure", "-http", "127.0.0.1:0", "-udp-range", "0", "-announce", "127.0.0.1", "-turn", "",
                "-data", root.resolve("data").toString(), "-groups", root.resolve("groups").toString(),
                "-recordings", root.resolve("recordings").toString()));
        command.addAll(List.of(flags));
        return new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Reads output until the server says it listens; false if it exited first. */
    public boolean awaitListening() throws IOException {
        String line;
        while ((line = output.readLine()) != null) {
            lines.add(line);
            if (line.startsWith("Parley is listening on")) {      // "Parley is listening on /127.0.0.1:PORT."
                port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1, line.length() - 1));
                return true;
            }
        }
        return false;
    }

    /** The HTTP port, once {@link #awaitListening} returned true. */
    public int port() {
        return port;
    }

    /** SIGTERM, as systemd or Ctrl-C would send, then everything printed until the exit. */
    public List<String> stop() throws IOException, InterruptedException {
        process.toHandle().destroy();                  // unlike Process.destroy, keeps the pipes open
        String line;
        while ((line = output.readLine()) != null) {
            lines.add(line);
        }
        process.waitFor(60, TimeUnit.SECONDS);
        return List.copyOf(lines);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        output.close();
    }
}
