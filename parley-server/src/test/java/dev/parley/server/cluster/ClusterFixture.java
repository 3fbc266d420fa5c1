package dev.parley.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerOptions;
import dev.parley.server.testing.RedisProcess;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A cluster on loopback: one real redis-server, nodes started in this JVM (each a whole
 * ParleyServer with its own ports) and optionally nodes as their own processes, all sharing
 * one {@code groups/} and {@code data/} directory, as the cluster documentation asks.
 */
public final class ClusterFixture implements AutoCloseable {
    /** Short, so that fail-over tests take seconds; the renewal runs every third of it. */
    static final Duration LEASE = Duration.ofMillis(1500);
    static final String CONFIG = """
            {"writableGroups": true,
             "users": {"root": {"password": "rootpw", "permissions": "admin"}}}""";

    final RedisProcess redis;
    public final Path root;
    public final List<Node> nodes = new ArrayList<>();
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final HttpClient http = HttpClient.newHttpClient();

    /** A node: in-process ({@code server} set) or a process ({@code process} set). */
    public record Node(ParleyServer server, ServerProcess process, int port) {
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        public URI ws() {
            return URI.create("ws://127.0.0.1:" + port + "/ws");
        }
    }

    private ClusterFixture(RedisProcess redis, Path root) {
        this.redis = redis;
        this.root = root;
        this.client = RedisClient.create(redis.url());
        this.connection = client.connect();
    }

    public static ClusterFixture start(int inProcessNodes) throws Exception {
        RedisProcess redis = RedisProcess.start();
        Path root = Files.createTempDirectory("parley-cluster-");
        Files.createDirectories(root.resolve("groups"));
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/config.json"), CONFIG);
        ClusterFixture f = new ClusterFixture(redis, root);
        for (int i = 0; i < inProcessNodes; i++) {
            f.startNode();
        }
        f.awaitNodesKnown();
        return f;
    }

    String clusterFlag() {
        return redis.url() + "?lease=" + LEASE.toMillis();
    }

    Node startNode() throws IOException {
        ServerOptions options = new ServerOptions("127.0.0.1:0", true, null, root.resolve("data"), root.resolve("groups"),
                root.resolve("recordings"), "", "", false, false, List.of("127.0.0.1"));
        ParleyServer s = ParleyServer.start(options, ClusterOptions.parse(clusterFlag(), null));
        Node n = new Node(s, null, s.httpAddress().getPort());
        nodes.add(n);
        return n;
    }

    /** A node in its own JVM, which a test may kill with SIGKILL. */
    Node startProcessNode() throws IOException {
        ServerProcess p = ServerProcess.start(root, "-cluster", clusterFlag());
        if (!p.awaitListening()) {
            try {
                throw new IOException("the node process did not start: " + String.join("\n", p.stop()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("the node process did not start");
            }
        }
        Node n = new Node(null, p, p.port());
        nodes.add(n);
        awaitNodesKnown();
        return n;
    }

    /**
     * Waits until every in-process node knows every other node (its Origin is accepted): a node
     * learns of another at its next renewal, a third of a lease after that one registered; and
     * until the grace after the first registration in an empty Redis is over.
     */
    void awaitNodesKnown() throws IOException {
        try {
            boolean known = eventually(Duration.ofSeconds(30), () -> nodes.stream().filter(a -> a.server() != null)
                    .allMatch(a -> nodes.stream().filter(b -> b != a)
                            .allMatch(b -> a.server().context().cluster().isNodeOrigin(b.url())))
                    && redisCli().exists("parley:grace") == 0);          // a new Redis: placement waits for it
            if (!known) {
                throw new IOException("the nodes did not learn of each other");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public void group(String name, String json) throws IOException {
        Path p = root.resolve("groups").resolve(name + ".json");
        Files.createDirectories(p.getParent());
        Files.writeString(p, json, StandardCharsets.UTF_8);
    }

    RedisCommands<String, String> redisCli() {
        return connection.sync();
    }

    /** The URL of the node holding the group's lease, or null. */
    public String ownerUrl(String group) {
        String id = redisCli().get("parley:lease:" + group);
        return id == null ? null : redisCli().hget("parley:node:" + id, "url");
    }

    public Node nodeAt(String url) {
        return nodes.stream().filter(n -> n.url().equals(url)).findFirst().orElseThrow(() -> new AssertionError("no node at " + url));
    }

    public JsonNode get(Node n, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError(path + " at " + n.url() + ": " + r.statusCode());
        }
        return Json.parse(r.body());
    }

    /**
     * Enters a group as the web clients do: .status at the entry node, the WebSocket its
     * {@code endpoint} names (sent with the entry node's Origin), then join, following at most
     * one {@code joined redirect}. Returns the client joined, and where.
     */
    public Entered enter(Node entry, String id, String group, String joinFields) throws IOException, InterruptedException {
        String endpoint = get(entry, "/group/" + group + "/.status").path("endpoint").asText();
        for (int hop = 0; hop < 2; hop++) {
            WsClient c = WsClient.open(URI.create(endpoint), entry.url());
            c.send("{\"type\":\"handshake\",\"version\":[\"2\"],\"id\":\"" + id + "\"}");
            c.expect("handshake");
            c.send("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"" + group + "\"," + joinFields + "}");
            JsonNode joined = c.expect("joined");
            String kind = joined.path("kind").asText();
            if (kind.equals("join")) {
                c.expectMatching(m -> m.path("type").asText().equals("user") && m.path("id").asText().equals(id));
                return new Entered(c, URI.create(endpoint).getPort());
            }
            c.close();
            if (!kind.equals("redirect")) {
                throw new AssertionError("join failed: " + joined);
            }
            URI page = URI.create(joined.path("value").asText());
            endpoint = "ws://" + page.getRawAuthority() + "/ws";
        }
        throw new AssertionError("redirected twice");
    }

    public record Entered(WsClient client, int port) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /** Polls until true; false after {@code max}. Used for eventual states, never to assert durations. */
    static boolean eventually(Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** Stops an in-process node as SIGTERM would (J25: members told, leases handed back). */
    public void stop(Node n) {
        n.server().shutdown();
        nodes.remove(n);
    }

    @Override
    public void close() throws Exception {
        for (Node n : nodes) {
            if (n.server() != null) {
                n.server().shutdown();
            } else {
                n.process().close();
            }
        }
        connection.close();
        client.shutdown();
        redis.close();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
