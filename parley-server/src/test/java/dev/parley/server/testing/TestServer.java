package dev.parley.server.testing;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Parley server on an ephemeral loopback port with its own temporary
 * {@code groups/}, {@code data/} and {@code recordings/} directories.
 */
public final class TestServer implements AutoCloseable {
    private final Path root;
    private final ServerOptions options;
    private ParleyServer server;

    private TestServer(Path root, ServerOptions options, ParleyServer server) {
        this.root = root;
        this.options = options;
        this.server = server;
    }

    /** Starts a server; {@code prepare} may write group and data files before it starts. */
    public static TestServer start(Setup prepare) throws IOException {
        return builder().start(prepare);
    }

    public static TestServer start() throws IOException {
        return start(f -> { });
    }

    /** For servers that need more than the defaults: a static directory (-static), or TLS. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Path staticDir;
        private boolean tls;
        private List<String> announce = List.of("127.0.0.1");
        private String turn = "";
        private boolean relayOnly;
        private boolean metrics;
        private String metricsHttp;
        private boolean trickleIce;

        private Builder() {
        }

        /** {@code -metrics} when {@code onMainPort}, and {@code -metrics-http ADDRESS} unless null. */
        public Builder metrics(boolean onMainPort, String address) {
            this.metrics = onMainPort;
            this.metricsHttp = address;
            return this;
        }

        /** Send the server's candidates in ice messages instead of in the SDP ({@code -ice-trickle}). */
        public Builder trickleIce() {
            this.trickleIce = true;
            return this;
        }

        /** Put these addresses in the server's ICE candidates (non-loopback ones make it bind 0.0.0.0). */
        public Builder announce(List<String> addresses) {
            this.announce = List.copyOf(addresses);
            return this;
        }

        /** Serve this directory instead of the built-in web client ({@code -static}). */
        public Builder staticDir(Path dir) {
            this.staticDir = dir;
            return this;
        }

        /** Serve HTTPS (without {@code -insecure}); the certificate is generated in {@code data/}. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** Run the built-in TURN server ({@code -turn}), and tell clients to relay only ({@code -relay-only}). */
        public Builder turn(String address, boolean relayOnly) {
            this.turn = address;
            this.relayOnly = relayOnly;
            return this;
        }

        public TestServer start(Setup prepare) throws IOException {
            Path root = Files.createTempDirectory("parley-test-");
            Path groups = Files.createDirectories(root.resolve("groups"));
            Path data = Files.createDirectories(root.resolve("data"));
            Path recordings = root.resolve("recordings");
            TestServer.Dirs files = new TestServer.Dirs(groups, data);
            prepare.prepare(files);
            ServerOptions options = new ServerOptions("127.0.0.1:0", !tls, staticDir, data, groups, recordings, "",
                    turn, relayOnly, false, announce, metrics, metricsHttp, trickleIce);
            try {
                return new TestServer(root, options, ParleyServer.start(options));
            } catch (IOException | RuntimeException e) {
                deleteTree(root);
                throw e;
            }
        }
    }

    /** A test's hook to write files before the server starts. */
    @FunctionalInterface
    public interface Setup {
        void prepare(TestServer.Dirs dirs) throws IOException;
    }

    /** Writes group descriptions and data files. */
    public record Dirs(Path groups, Path data) {
        public Path group(String name, String json) throws IOException {
            Path p = groups.resolve(name + ".json");
            Files.createDirectories(p.getParent());
            Files.writeString(p, json, StandardCharsets.UTF_8);
            return p;
        }

        public Path data(String name, String content) throws IOException {
            Path p = data.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return p;
        }
    }

    public TestServer.Dirs files() {
        return new TestServer.Dirs(root.resolve("groups"), root.resolve("data"));
    }

    /** The recordings directory ({@code -recordings}); it does not exist until something creates it. */
    public Path recordingsDir() {
        return root.resolve("recordings");
    }

    public int port() {
        return server.httpAddress().getPort();
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public URI https(String path) {
        return URI.create("https://127.0.0.1:" + port() + path);
    }

    public URI ws() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    public ParleyServer server() {
        return server;
    }

    /** Opens a WebSocket client that has not yet sent anything. */
    public WsClient connect() {
        return WsClient.open(ws(), null);
    }

    /** Opens a client and performs the handshake with this client id. */
    public WsClient handshake(String id) {
        WsClient c = connect();
        c.send("{\"type\":\"handshake\",\"version\":[\"2\"],\"id\":\"" + id + "\"}");
        c.expect("handshake");
        return c;
    }

    /** Handshakes and joins with a username and password, consuming the join sequence up to our own user add. */
    public WsClient join(String id, String group, String username, String password) {
        WsClient c = handshake(id);
        c.send(String.format("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"%s\",\"username\":\"%s\",\"password\":\"%s\"}",
                group, username, password));
        var joined = c.expect("joined");
        if (!"join".equals(joined.path("kind").asText())) {
            throw new AssertionError("join failed: " + joined);
        }
        c.expectMatching(m -> m.path("type").asText().equals("user") && m.path("id").asText().equals(id));
        return c;
    }

    /**
     * Shuts the server down as in production (J25: lock, kick, close) and starts a new one on the
     * same port with the same directories, as an administrator's restart does: clients that
     * reconnect to the old URL reach the new server.
     */
    public void restart() throws IOException {
        int port = port();
        server.shutdown();
        ServerOptions same = new ServerOptions("127.0.0.1:" + port, options.insecure(), options.staticDir(),
                options.dataDir(), options.groupsDir(), options.recordingsDir(), options.udpRange(), options.turn(),
                options.relayOnly(), options.mdns(), options.announce(), options.metrics(), options.metricsHttp(),
                options.trickleIce());
        server = ParleyServer.start(same);
    }

    @Override
    public void close() {
        server.shutdown();
        deleteTree(root);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
