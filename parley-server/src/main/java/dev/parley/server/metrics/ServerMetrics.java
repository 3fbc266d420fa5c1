package dev.parley.server.metrics;

import dev.parley.server.ServerContext;
import dev.parley.server.ServerOptions;
import dev.parley.server.ws.SessionRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelHandler;

/**
 * The server's Prometheus metrics ({@code -metrics}, {@code -metrics-http}): a Micrometer
 * registry with the JVM's meters, HTTP and WebSocket handlers, and meters that read the
 * groups, the media plane and the TURN server when scraped. Disabled, it is an inert object
 * and nothing is added to any pipeline.
 */
public final class ServerMetrics implements AutoCloseable {
    /** The Prometheus text format the registry writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final ServerMetrics DISABLED = new ServerMetrics(null, false);

    private final PrometheusMeterRegistry registry;
    private final boolean onMainPort;
    private final JvmGcMetrics gc;
    private final HttpMetricsHandler http;
    private final WebSocketMetricsHandler webSocket;
    private volatile MediaMetrics media;

    private ServerMetrics(PrometheusMeterRegistry registry, boolean onMainPort) {
        this.registry = registry;
        this.onMainPort = onMainPort;
        if (registry == null) {
            gc = null;
            http = null;
            webSocket = null;
            return;
        }
        // Two of Micrometer's processor meters break Prometheus's naming rules (promtool rejects
        // "_count" on a gauge and "_ns" in a name); process_cpu_usage and system_cpu_usage remain.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("system.cpu.count")
                || id.getName().equals("process.cpu.time")));
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        http = new HttpMetricsHandler(registry);
        webSocket = new WebSocketMetricsHandler(registry);
    }

    public static ServerMetrics disabled() {
        return DISABLED;
    }

    /** Metrics as the options ask: disabled unless {@code -metrics} or {@code -metrics-http} is given. */
    public static ServerMetrics create(ServerOptions options) {
        if (!options.metricsEnabled()) {
            return DISABLED;
        }
        return new ServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), options.metrics());
    }

    public boolean enabled() {
        return registry != null;
    }

    /** Whether {@code /metrics} is answered on the main port (to global administrators). */
    public boolean onMainPort() {
        return onMainPort;
    }

    /** Counts HTTP connections, requests and responses; null when disabled. Sharable. */
    public ChannelHandler httpHandler() {
        return http;
    }

    /** Counts WebSocket messages and close codes; null when disabled. Sharable. */
    public ChannelHandler webSocketHandler() {
        return webSocket;
    }

    /** Adds the meters that read the running server's state when scraped. */
    public void bind(ServerContext ctx, SessionRegistry sessions) {
        if (registry == null) {
            return;
        }
        Gauge.builder("parley.websocket.connections.open", sessions, SessionRegistry::count)
                .description("Open WebSocket (signalling) connections").register(registry);
        GroupMetrics.bind(registry, ctx.groups());
        TurnMetrics.bind(registry, ctx.iceServers().builtInTurn());
        media = MediaMetrics.bind(registry, ctx.media());
    }

    /** The Prometheus text of every meter; samples the live media tracks first. */
    public String scrape() {
        if (registry == null) {
            throw new IllegalStateException("metrics are disabled");
        }
        MediaMetrics m = media;
        if (m != null) {
            m.sampleTracks();
        }
        return registry.scrape();
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (registry != null) {
            gc.close();
            registry.close();
        }
    }
}
