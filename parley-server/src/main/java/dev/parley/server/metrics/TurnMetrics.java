package dev.parley.server.metrics;

import dev.parley.rtc.turn.TurnStats;
import dev.parley.server.turn.BuiltInTurn;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.ToDoubleFunction;

/**
 * The built-in TURN server's counters, read when scraped; zero while it does not run. A
 * restart of the TURN server (data/ice-servers.json appearing or going) restarts its counters,
 * which Prometheus reads as a counter reset.
 */
final class TurnMetrics {
    private TurnMetrics() {
    }

    static void bind(MeterRegistry registry, BuiltInTurn turn) {
        Gauge.builder("parley.turn.allocations", turn, read(TurnStats::allocations))
                .description("Active allocations of the built-in TURN server").register(registry);
        Gauge.builder("parley.turn.tcp.connections", turn, read(TurnStats::tcpConnections))
                .description("Open TCP connections of the built-in TURN server").register(registry);
        FunctionCounter.builder("parley.turn.relayed", turn, read(TurnStats::relayedBytes)).baseUnit("bytes")
                .description("Payload bytes relayed by the built-in TURN server, both directions").register(registry);
        FunctionCounter.builder("parley.turn.relayed.packets", turn, read(TurnStats::relayedPackets))
                .description("Datagrams relayed by the built-in TURN server, both directions").register(registry);
        FunctionCounter.builder("parley.turn.dropped.packets", turn, read(TurnStats::dropped))
                .description("Datagrams the built-in TURN server dropped (no permission, over the cap, unknown channel, forbidden peer)")
                .register(registry);
        FunctionCounter.builder("parley.turn.rejected.requests", turn, read(TurnStats::rejected))
                .description("TURN requests answered with an error, 401 included").register(registry);
    }

    private static ToDoubleFunction<BuiltInTurn> read(ToDoubleFunction<TurnStats> field) {
        return t -> {
            TurnStats s = t.stats();
            return s == null ? 0 : field.applyAsDouble(s);
        };
    }
}
