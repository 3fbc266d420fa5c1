package dev.parley.server;

import dev.parley.server.auth.Authoriser;
import dev.parley.server.auth.TokenCommands;
import dev.parley.server.auth.TokenStore;
import dev.parley.server.cluster.Cluster;
import dev.parley.server.cluster.ClusterNode;
import dev.parley.server.cluster.ClusterOptions;
import dev.parley.server.cluster.NodeAddress;
import dev.parley.server.cluster.SharedWrites;
import dev.parley.server.cluster.StartingCluster;
import dev.parley.server.config.ConfigStore;
import dev.parley.server.config.IceServers;
import dev.parley.server.group.Group;
import dev.parley.server.group.GroupManager;
import dev.parley.server.http.HttpServer;
import dev.parley.server.http.StaticRoot;
import dev.parley.server.metrics.MetricsListener;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.sfu.MediaService;
import dev.parley.server.turn.BuiltInTurn;
import dev.parley.server.util.StaleTempFiles;
import dev.parley.server.ws.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A running Parley server: wires the services together, runs the periodic tasks, shuts down (J25). */
public final class ParleyServer {
    private static final Logger log = LoggerFactory.getLogger(ParleyServer.class);
    static final String SHUTDOWN_MESSAGE = "server is shutting down";

    private final ServerContext ctx;
    private final HttpServer http;
    private final ScheduledExecutorService periodic;
    private final InetSocketAddress httpAddress;
    private final MetricsListener metricsListener;      // null without -metrics-http

    private ParleyServer(ServerContext ctx, HttpServer http, ScheduledExecutorService periodic, InetSocketAddress address,
                         MetricsListener metricsListener) {
        this.ctx = ctx;
        this.http = http;
        this.periodic = periodic;
        this.httpAddress = address;
        this.metricsListener = metricsListener;
    }

    public static ParleyServer start(ServerOptions options) throws IOException {
        return start(options, null);
    }

    /** With {@code cluster} null, a single node exactly as without {@code -cluster}. */
    public static ParleyServer start(ServerOptions options, ClusterOptions cluster) throws IOException {
        // Checked first: a bad address must not leave a half-started server behind.
        InetSocketAddress metricsAddress = options.metricsHttp() == null ? null
                : listenAddress(options.metricsHttp(), "-metrics-http");
        // A server killed during an atomic write leaves its temp file; nothing else reads them.
        StaleTempFiles.removeUnder(options.groupsDir());
        StaleTempFiles.removeUnder(options.dataDir());
        Clock clock = Clock.systemDefaultZone();
        ConfigStore config = new ConfigStore(options.dataDir());
        TokenStore tokens = new TokenStore(options.dataDir().resolve("var").resolve("tokens.jsonl"), clock,
                cluster == null ? SharedWrites.NONE : SharedWrites.on(options.dataDir().resolve("var").resolve("cluster-writes.lock")));
        Authoriser authoriser = new Authoriser(tokens, () -> config.get().canonicalHost(), clock);
        GroupManager groups = new GroupManager(options.groupsDir(), clock);
        MediaService media = MediaService.start(udpPort(options.udpRange()), options.announce());
        BuiltInTurn turn = new BuiltInTurn(options.turn(), media::hostAddresses);
        ServerMetrics metrics = ServerMetrics.create(options);
        ServerContext ctx = new ServerContext(options, groups, config, authoriser, tokens,
                new TokenCommands(tokens, clock), new IceServers(options.dataDir(), options.relayOnly(), clock, turn),
                media, clock, cluster == null ? Cluster.SINGLE : new StartingCluster(), metrics);
        ctx.iceServers().rtcConfiguration();                  // L10: starts the built-in TURN server if wanted
        groups.scan();
        StaticRoot root = options.staticDir() != null ? StaticRoot.directory(options.staticDir()) : StaticRoot.builtIn();
        HttpServer http = new HttpServer(ctx, root);
        InetSocketAddress address;
        if (options.http().startsWith("/")) {                                         // H1: a Unix socket
            http.startUnix(java.nio.file.Path.of(options.http()), options.insecure(), options.dataDir());
            address = null;
        } else {
            address = http.start(listenAddress(options.http()), options.insecure(), options.dataDir());
        }
        if (cluster != null) {
            joinCluster(ctx, cluster, address, http);
        }
        metrics.bind(ctx, http.sessions());
        MetricsListener metricsListener = null;
        if (metricsAddress != null) {
            try {
                metricsListener = MetricsListener.start(metricsAddress, metrics);
            } catch (IOException e) {
                http.stop();
                turn.close();
                media.close();
                metrics.close();
                throw e;
            }
            log.info("metrics on http://{}/metrics", metricsListener.address());
        }
        ScheduledExecutorService periodic = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("periodic").factory());
        periodic.scheduleAtFixedRate(() -> runPeriodic(ctx), 15, 15, TimeUnit.MINUTES);      // L5
        log.info("listening on {} ({})", address != null ? address : options.http(), options.insecure() ? "http" : "https");
        return new ParleyServer(ctx, http, periodic, address, metricsListener);
    }

    /** Registers in the cluster once the node's URL (its bound port) is known; stops everything if it cannot. */
    private static void joinCluster(ServerContext ctx, ClusterOptions cluster, InetSocketAddress address, HttpServer http) {
        ServerOptions options = ctx.options();
        try {
            if (cluster.nodeUrl() == null && address == null) {
                throw new IllegalArgumentException("-cluster with -http on a Unix socket needs -cluster-url");
            }
            String url = cluster.nodeUrl() != null ? cluster.nodeUrl()
                    : NodeAddress.defaultUrl(!options.insecure(), address, options.announce());
            ((StartingCluster) ctx.cluster()).started(ClusterNode.start(cluster, url, ctx.groups()));
        } catch (RuntimeException e) {
            http.stop();
            ctx.iceServers().builtInTurn().close();
            ctx.media().close();
            throw e;
        }
    }

    private static void runPeriodic(ServerContext ctx) {
        try {
            ctx.groups().scan();
            ctx.tokens().purgeExpired();
        } catch (RuntimeException e) {
            log.warn("periodic task failed", e);
        }
    }

    /** Parses Galène's {@code -http} form: ":8443", "host:port", "[v6]:port". */
    static InetSocketAddress listenAddress(String spec) {
        return listenAddress(spec, "-http");
    }

    static InetSocketAddress listenAddress(String spec, String flag) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(flag + " must be [host]:port, got " + spec);
        }
        String host = spec.substring(0, colon).replaceAll("^\\[|]$", "");
        int port;
        try {
            port = Integer.parseInt(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be [host]:port, got " + spec);
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** {@code -udp-range}: a single port multiplexes everything (L8); a range uses its first port. */
    static int udpPort(String range) {
        if (range == null || range.isEmpty()) {
            return 0;
        }
        int dash = range.indexOf('-');
        return Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
    }

    /** Where {@code -metrics-http} listens, or null. */
    public InetSocketAddress metricsAddress() {
        return metricsListener == null ? null : metricsListener.address();
    }

    /** The TCP address listened on, or null when listening on a Unix socket. */
    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    public ServerContext context() {
        return ctx;
    }

    /** The signalling sessions whose sockets are open. */
    public SessionRegistry sessions() {
        return http.sessions();
    }

    /** Waits until the kicked clients have gone, so that their close frames are written. */
    private void awaitEmptyGroups(long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        while (System.nanoTime() < deadline
                && ctx.groups().loadedGroups().stream().anyMatch(g -> g.clientCount() > 0)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** J25: lock every group with the shutdown message, kick everyone, then stop listening. */
    public void shutdown() {
        periodic.shutdownNow();
        for (Group g : ctx.groups().loadedGroups()) {
            g.lock(SHUTDOWN_MESSAGE);
            g.forEachMember(m -> m.kick(null, null, SHUTDOWN_MESSAGE));
        }
        awaitEmptyGroups(2000);                                                      // H3: 2 s grace
        ctx.cluster().close();                              // hands the leases back: no wait for expiry
        http.stop();
        if (metricsListener != null) {
            metricsListener.close();
        }
        ctx.iceServers().builtInTurn().close();
        ctx.media().close();
        ctx.metrics().close();
    }
}
