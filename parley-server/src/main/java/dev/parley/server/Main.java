package dev.parley.server;

import dev.parley.server.diagnostics.Profiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code parley}: the server's command line, with Galène's flag names and defaults (L12). */
@Command(name = "parley", mixinStandardHelpOptions = true, version = "Parley 0.1",
        description = "A videoconferencing server that speaks Galène's protocol.")
public final class Main implements Callable<Integer> {
    @Option(names = "-http", defaultValue = ":8443", description = "web server address (default ${DEFAULT-VALUE})")
    String http;

    @Option(names = "-insecure", description = "serve plain HTTP instead of HTTPS")
    boolean insecure;

    @Option(names = "-static", description = "serve this web client directory instead of the built-in one")
    Path staticDir;

    @Option(names = "-data", defaultValue = "./data/", description = "data directory (default ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "-groups", defaultValue = "./groups/", description = "group definitions (default ${DEFAULT-VALUE})")
    Path groups;

    @Option(names = "-recordings", defaultValue = "./recordings/", description = "recordings directory (default ${DEFAULT-VALUE})")
    Path recordings;

    @Option(names = "-udp-range", defaultValue = "", description = "UDP port or MIN-MAX range for media")
    String udpRange;

    @Option(names = "-turn", defaultValue = "auto", description = "built-in TURN server: auto (port 1194 of the public addresses while data/ice-servers.json does not exist), IP:PORT, or \"\" to disable (default ${DEFAULT-VALUE})")
    String turn;

    @Option(names = "-relay-only", description = "tell clients to use relayed candidates only")
    boolean relayOnly;

    @Option(names = "-mdns", description = "accepted for compatibility; mDNS candidates are not gathered")
    boolean mdns;

    @Option(names = "-ice-trickle", description = "send the server's ICE candidates in ice messages after the SDP"
            + " instead of inside it, as Galène does (WHIP answers keep them inside)")
    boolean iceTrickle;

    @Option(names = "-cpuprofile", paramLabel = "FILE", description = "write a JFR CPU profile (method samples) to FILE at exit")
    Path cpuprofile;

    @Option(names = "-memprofile", paramLabel = "FILE", description = "write an HPROF heap dump to FILE at exit")
    Path memprofile;

    @Option(names = "-mutexprofile", paramLabel = "FILE", description = "write a JFR recording of lock contention to FILE at exit")
    Path mutexprofile;

    /** Values of {@code -log-format}: logback.xml or logback-json.xml. */
    enum LogFormat { text, json }

    @Option(names = "-log-format", defaultValue = "${env:PARLEY_LOG_FORMAT:-text}",
            description = "text (default) or json: one JSON object per line on standard error (also PARLEY_LOG_FORMAT)")
    LogFormat logFormat;

    @Option(names = "-metrics", description = "serve Prometheus metrics at /metrics on the main port, to global administrators"
            + " (config.json users with the admin permission, or a global admin token): jvm_*, process_*, parley_http_*,"
            + " parley_websocket_*, parley_groups, parley_group_members, parley_media_*, parley_turn_* (names in the README)")
    boolean metrics;

    @Option(names = "-metrics-http", paramLabel = "ADDRESS", description = "serve /metrics over plain HTTP on this [host]:port"
            + " without credentials (e.g. 127.0.0.1:9100: whoever can connect may scrape)")
    String metricsHttp;

    @Option(names = "-announce", split = ",", description = "addresses announced in ICE candidates (default: non-loopback interfaces)")
    List<String> announce;

    @Option(names = "-cluster", paramLabel = "redis://HOST:PORT",
            description = "run as one node of a cluster coordinated through this Redis (off by default; see docs/cluster.md)")
    String cluster;

    @Option(names = "-cluster-url", paramLabel = "URL",
            description = "this node's public base URL, where other nodes send clients (default: scheme://address:port of -http)")
    String clusterUrl;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServerOptions options = new ServerOptions(http, insecure, staticDir, data, groups, recordings, udpRange,
                turn, relayOnly, mdns, announce == null ? List.of() : announce, metrics, metricsHttp, iceTrickle);
        dev.parley.server.cluster.ClusterOptions clusterOptions;
        try {
            if (cluster == null && clusterUrl != null) {
                throw new IllegalArgumentException("-cluster-url needs -cluster");
            }
            clusterOptions = cluster == null ? null : dev.parley.server.cluster.ClusterOptions.parse(cluster, clusterUrl);
        } catch (IllegalArgumentException e) {
            System.err.println("parley: " + e.getMessage());
            return 2;
        }
        if (logFormat == LogFormat.json) {
            // Before anything logs: logback reads this when it configures itself.
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        Profiles profiles = Profiles.start(cpuprofile, memprofile, mutexprofile);
        String demoPassword = DemoGroup.createIfNoGroups(groups);
        boolean demo = demoPassword != null;
        ParleyServer server = ParleyServer.start(options, clusterOptions);
        // Before saying that it listens: a SIGTERM right after that line must still shut down cleanly.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            profiles.close();
            stopped.countDown();
        }, "shutdown"));
        if (demo) {
            System.out.println("Created " + groups.resolve("demo.json") + ": anyone may join with any username and no password;"
                    + " the operator is \"admin\" with password " + demoPassword + ".");
        }
        if (server.httpAddress() == null) {
            System.out.println("Parley is listening on the Unix socket " + http + ".");
        } else {
            String scheme = insecure ? "http" : "https";
            System.out.println("Parley is listening on " + server.httpAddress() + ".");
            System.out.println("Open " + scheme + "://localhost:" + server.httpAddress().getPort() + "/group/demo/ in a browser"
                    + (demo ? "" : " (or another group of " + groups + ")") + ".");
        }
        stopped.await();
        return 0;
    }
}
