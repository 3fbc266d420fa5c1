package dev.parley.client;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The real Parley server on an ephemeral loopback port, with temporary groups/data directories. */
final class ParleyTestServer implements AutoCloseable {
    private final Path root;
    private final ParleyServer server;

    private ParleyTestServer(Path root, ParleyServer server) {
        this.root = root;
        this.server = server;
    }

    /** Starts a server with one group per (name, description JSON) pair. */
    static ParleyTestServer start(String... groups) throws IOException {
        return startAnnouncing(List.of("127.0.0.1"), groups);
    }

    /** As {@link #start}, putting {@code announce} in the server's ICE candidates. */
    static ParleyTestServer startAnnouncing(List<String> announce, String... groups) throws IOException {
        Path root = Files.createTempDirectory("parley-client-test-");
        Path groupsDir = Files.createDirectories(root.resolve("groups"));
        Path data = Files.createDirectories(root.resolve("data"));
        for (int i = 0; i + 1 < groups.length; i += 2) {
            Files.writeString(groupsDir.resolve(groups[i] + ".json"), groups[i + 1], StandardCharsets.UTF_8);
        }
        ServerOptions options = new ServerOptions("127.0.0.1:0", true, null, data, groupsDir,
                root.resolve("recordings"), "", "", false, false, announce);
        return new ParleyTestServer(root, ParleyServer.start(options));
    }

    String http(String path) {
        return "http://127.0.0.1:" + server.httpAddress().getPort() + path;
    }

    /** The SFU, for its media loop's counters. */
    dev.parley.server.sfu.MediaService media() {
        return server.context().media();
    }

    String ws() {
        return "ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws";
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
