package dev.parley.bench.report;

import dev.parley.bench.load.GroupTotals;
import dev.parley.bench.load.StepResult;
import java.util.List;
import java.util.Locale;

/** Writes the results of a run as Markdown. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(String title, List<String> setup, List<ScenarioReport> scenarios, String plotFile) {
        StringBuilder s = new StringBuilder();
        s.append("# ").append(title).append("\n\n");
        for (String line : setup) {
            s.append("- ").append(line).append('\n');
        }
        s.append("\nCapacity = the largest N with every stream connected, subscriber loss < ")
                .append(StepResult.MAX_LOSS_PERCENT).append(" % and p99 one-way latency < ")
                .append(StepResult.MAX_P99_MICROS / 1000).append(" ms. Latency is measured from the publisher's send "
                        + "(before SRTP) to the subscriber's receive (before SRTP unprotect) on one machine. CPU % is of one "
                        + "core; `µs/pkt` is server CPU time divided by the packets the subscribers received. "
                        + "**Server-added** latency is the server's own histogram (`parley_media_forwarding_delay_seconds` "
                        + "from its /metrics, differenced over the window): kernel receive timestamp of a packet to the "
                        + "sendmmsg of each forwarded copy (per copy, like the generator's), so it does not include the generator's own queueing, which the "
                        + "generator's end-to-end p50/p99/p99.9 do.\n\n");
        s.append("## Summary\n\n| scenario | capacity N | forwarded pkt/s at capacity | server CPU at capacity | "
                + "µs server CPU per forwarded packet | p50 / p99 / p99.9 at capacity |\n|---|---|---|---|---|---|\n");
        for (ScenarioReport r : scenarios) {
            var cap = r.capacity();
            if (cap.isPresent()) {
                StepResult c = cap.get();
                s.append(String.format(Locale.ROOT, "| %s | %d%s | %.0f | %.1f %% | %.2f | %s / %s / %s ms |%n", r.name(),
                        c.n(), r.limitedByGenerator() ? " (generator-bound)" : "", c.forwardedPerSecond(),
                        c.serverCpuPercent(), c.serverCpuMicrosPerPacket(), ms(c.p50Micros()), ms(c.p99Micros()),
                        ms(c.p999Micros())));
            } else {
                s.append("| ").append(r.name()).append(" | none held | | | | |\n");
            }
        }
        halfLoad(s, scenarios);
        s.append("\n| scenario | largest step measured | server µs CPU per forwarded packet there | "
                + "marginal µs per forwarded packet (CPU slope, smallest → largest step) | "
                + "N at 100 % of one server core (CPU-only extrapolation) |\n|---|---|---|---|---|\n");
        for (ScenarioReport r : scenarios) {
            var big = r.largestMeasured();
            if (big.isPresent()) {
                s.append(String.format(Locale.ROOT, "| %s | N=%d (%.0f pkt/s, %.1f %% CPU) | %.2f | %s | ≈ %.0f |%n", r.name(),
                        big.get().n(), big.get().forwardedPerSecond(), big.get().serverCpuPercent(),
                        big.get().serverCpuMicrosPerPacket(),
                        r.marginalMicrosPerPacket().map(v -> String.format(Locale.ROOT, "%.2f", v)).orElse("-"),
                        r.cpuBoundN().orElse(0.0)));
            }
        }
        s.append("\nCPU wait = time the process was runnable but another task held its core (from schedstat); "
                + "when it is large, latency tails come from CPU contention on the machine, not from the server's work.\n");
        if (plotFile != null) {
            s.append("\n![capacity curves](").append(plotFile).append(")\n");
        }
        for (ScenarioReport r : scenarios) {
            s.append("\n## ").append(r.name()).append("\n\n").append(r.description()).append("\n\n");
            for (String note : r.notes()) {
                s.append("Note: ").append(note).append("\n\n");
            }
            s.append("| N | streams | forwarded pkt/s | sent pkt/s | loss % | p50 ms | p99 ms | p99.9 ms | "
                    + "server-added p50 / p99 / p99.9 ms | server CPU % | "
                    + "server RSS MB | µs/pkt | user / kernel / media loops µs/pkt | generator CPU % | NACKs | PLIs | load avg | CPU wait server / generator ms/s | held |\n");
            s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (StepResult t : r.steps()) {
                s.append(String.format(Locale.ROOT,
                        "| %d | %d/%d | %.0f | %.0f | %.3f | %s | %s | %s | %s | %.1f | %.0f | %.2f | %.2f / %.2f / %.2f | %.1f | %d | %d | %.1f | %.0f / %.0f | %s |%n",
                        t.n(), t.streams(), t.expectedStreams(), t.forwardedPerSecond(), t.sentPerSecond(),
                        t.lossPercent(), ms(t.p50Micros()), ms(t.p99Micros()), ms(t.p999Micros()), serverAdded(t),
                        t.serverCpuPercent(),
                        t.serverRssBytes() / 1e6, t.serverCpuMicrosPerPacket(), t.serverUserMicrosPerPacket(),
                        t.serverKernelMicrosPerPacket(), t.mediaLoopMicrosPerPacket(), t.generatorCpuPercent(), t.nacks(),
                        t.plis(), t.loadAverage(), t.serverWaitMillisPerSecond(), t.generatorWaitMillisPerSecond(), t.held() ? "yes" : (t.generatorBound() ? "no (generator ≥ 90 %)" : "no")));
            }
            groups(s, r);
        }
        return s.toString();
    }

    /** Latency at half the capacity: the target is p99 ≤ 2 ms added by the server there. */
    private static void halfLoad(StringBuilder s, List<ScenarioReport> scenarios) {
        List<ScenarioReport> with = scenarios.stream().filter(r -> r.halfLoad() != null).toList();
        if (with.isEmpty()) {
            return;
        }
        s.append("\n### p99 at half load\n\nOne extra step at half the capacity N, on fresh connections after the "
                + "stepped run (target: p99 ≤ ").append(HALF_LOAD_TARGET_MICROS / 1000).append(" ms).\n\n"
                + "Two measures: the generator's end-to-end latency (publisher's send to subscriber's read, in the "
                + "generator's process: includes its own queueing when its readers share a busy core) and the "
                + "server-added latency (the server's histogram: kernel receive to the sendmmsg of each forwarded copy).\n\n"
                + "| scenario | N (capacity / 2) | forwarded pkt/s | loss % | server CPU % | "
                + "generator end-to-end p50 / p99 / p99.9 ms | generator p99 ≤ 2 ms | "
                + "server-added p50 / p99 / p99.9 ms | server-added p99 ≤ 2 ms |\n|---|---|---|---|---|---|---|---|---|\n");
        for (ScenarioReport r : with) {
            StepResult h = r.halfLoad();
            long serverP99 = h.serverDelay().p99Micros();
            s.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.3f | %.1f | %s / %s / %s | %s | %s | %s |%n", r.name(), h.n(),
                    h.forwardedPerSecond(), h.lossPercent(), h.serverCpuPercent(), ms(h.p50Micros()), ms(h.p99Micros()),
                    ms(h.p999Micros()), h.p99Micros() >= 0 && h.p99Micros() <= HALF_LOAD_TARGET_MICROS ? "yes" : "no",
                    serverAdded(h), serverP99 < 0 ? "-" : serverP99 <= HALF_LOAD_TARGET_MICROS ? "yes" : "no"));
        }
    }

    /** The latency target at half load. */
    static final long HALF_LOAD_TARGET_MICROS = 2_000;

    /** Per receiver group, when some subscribers had an emulated impaired network. */
    private static void groups(StringBuilder s, ScenarioReport r) {
        if (r.steps().stream().noneMatch(t -> t.groups().size() > 1)) {
            return;
        }
        s.append("\nReceiver groups (network emulated in the generator, userspace: see parley-bench/README.md). Loss before "
                + "repair = sequence numbers missing when a later packet arrived; after repair = never received despite "
                + "NACKs; frames = packets of one RTP timestamp, complete; freezes = gaps > 500 ms between complete frames.\n\n"
                + "| N | group | streams | link drops (random / queue) | loss before repair % | loss after repair % | "
                + "NACKs | PLIs | frames | freezes | frozen s |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<StepResult> steps = new java.util.ArrayList<>(r.steps());
        if (r.halfLoad() != null) {
            steps.add(r.halfLoad());
        }
        for (StepResult t : steps) {
            String n = t == r.halfLoad() ? t.n() + " (half load)" : Integer.toString(t.n());
            for (GroupTotals g : t.groups()) {
                s.append(String.format(Locale.ROOT, "| %s | %s | %d | %d / %d | %.2f | %.3f | %d | %d | %d | %d | %.1f |%n",
                        n, g.label(), g.subscriptions(), g.linkLost(), g.linkQueueDrops(),
                        g.lossBeforeRepairPercent(), g.lossAfterRepairPercent(), g.nacks(), g.plis(), g.framesShown(),
                        g.freezes(), g.frozenNanos() / 1e9));
            }
        }
    }

    /** The server's own p50 / p99 / p99.9, or "-" when its histogram was not read. */
    static String serverAdded(StepResult t) {
        var d = t.serverDelay();
        return d.measured() ? ms3(d.p50Micros()) + " / " + ms3(d.p99Micros()) + " / " + ms3(d.p999Micros()) : "-";
    }

    private static String ms3(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }

    static String ms(long micros) {
        return micros < 0 ? "-" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }
}
