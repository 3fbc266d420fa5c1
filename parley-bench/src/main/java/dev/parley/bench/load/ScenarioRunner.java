package dev.parley.bench.load;

import dev.parley.bench.metrics.CpuSplit;
import dev.parley.bench.metrics.ProcessStats;
import dev.parley.bench.metrics.ServerForwardingDelay;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a scenario step by step: grow, wait until every down stream is connected, let it settle,
 * then measure a window. Stops after {@code failuresBeforeStop} saturated steps (streams missing,
 * heavy loss, half-second tails or a full server core), since larger steps would only take time;
 * steps that merely miss the capacity criterion do not stop it, so the CPU curve is still drawn.
 */
public final class ScenarioRunner {
    private final Supplier<LoadContext> contexts;
    private final ProcessStats server;          // null: no server metrics
    private final ProcessStats self = ProcessStats.self();
    private final Duration settle;
    private final Duration window;
    private final int failuresBeforeStop;
    private final Consumer<String> log;
    private final ServerForwardingDelay serverDelay;  // null: the server's histogram is not read

    public ScenarioRunner(Supplier<LoadContext> contexts, ProcessStats server, Duration settle, Duration window,
            int failuresBeforeStop, Consumer<String> log) {
        this(contexts, server, null, settle, window, failuresBeforeStop, log);
    }

    /** {@code serverDelay}: the server's forwarding delay histogram, read before and after each window (may be null). */
    public ScenarioRunner(Supplier<LoadContext> contexts, ProcessStats server, ServerForwardingDelay serverDelay,
            Duration settle, Duration window, int failuresBeforeStop, Consumer<String> log) {
        this.serverDelay = serverDelay;
        this.contexts = contexts;
        this.server = server;
        this.settle = settle;
        this.window = window;
        this.failuresBeforeStop = failuresBeforeStop;
        this.log = log;
    }

    /** What happened in a run: the measured steps, and why it ended early if it did. */
    public record Outcome(List<StepResult> steps, List<String> notes) {
    }

    public List<StepResult> run(Scenario scenario) throws InterruptedException {
        return runWithNotes(scenario).steps();
    }

    public Outcome runWithNotes(Scenario scenario) throws InterruptedException {
        List<StepResult> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int failures = 0;
        try (LoadContext ctx = contexts.get()) {
            for (int n : scenario.steps()) {
                int expected = scenario.expectedSubscriptions(n);
                try {
                    scenario.grow(ctx, n);
                } catch (IOException e) {
                    String note = "N=" + n + ": could not be reached: " + e.getMessage()
                            + " (" + ctx.connectFailures() + " stream connections failed, "
                            + ctx.serverDisconnects() + " signalling connections dropped by the server)";
                    log.accept(scenario.name() + " " + note);
                    notes.add(note);
                    break;
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (ctx.connectedSubscriptions() < expected && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Thread.sleep(settle.toMillis());
                StepResult r = measure(scenario.name(), n, expected, ctx);
                results.add(r);
                log.accept(format(r));
                for (GroupTotals g : r.groups()) {
                    if (g.impaired()) {
                        log.accept("         " + format(g));
                    }
                }
                if (r.saturated() && ++failures >= failuresBeforeStop) {
                    break;
                }
            }
        }
        Thread.sleep(2000); // let the server tear the group down before the next scenario
        return new Outcome(results, notes);
    }

    private StepResult measure(String name, int n, int expected, LoadContext ctx) throws InterruptedException {
        ReceiveStats s = ctx.stats();
        List<GroupTotals> groups0 = ctx.groupTotals();
        long packets0 = s.packets();
        long sent0 = ctx.packetsSent();
        long nacks0 = s.nacksSent(), plis0 = s.plisSent();
        CpuSplit serverSplit0 = server == null ? CpuSplit.UNKNOWN : server.cpuSplit();
        long selfCpu0 = self.cpuNanos();
        long serverWait0 = server == null ? -1 : server.runQueueWaitNanos();
        long selfWait0 = self.runQueueWaitNanos();
        var delay0 = serverDelay == null ? java.util.Optional.<dev.parley.rtc.transport.ForwardingDelay.Snapshot>empty()
                : serverDelay.scrape();
        long t0 = System.nanoTime();
        s.resetLatency();
        Thread.sleep(window.toMillis());
        long t1 = System.nanoTime();
        CpuSplit serverSplit1 = server == null ? CpuSplit.UNKNOWN : server.cpuSplit();
        long selfCpu1 = self.cpuNanos();
        long serverWait1 = server == null ? -1 : server.runQueueWaitNanos();
        long selfWait1 = self.runQueueWaitNanos();
        var delay = serverDelay == null ? ServerForwardingDelay.Step.NONE
                : ServerForwardingDelay.Step.between(delay0, serverDelay.scrape());
        List<GroupTotals> groups = new ArrayList<>();
        List<GroupTotals> groups1 = ctx.groupTotals();
        for (int i = 0; i < groups1.size(); i++) {
            groups.add(groups1.get(i).minus(groups0.get(i)));
        }
        long packets = s.packets() - packets0;
        double seconds = (t1 - t0) / 1e9;
        long expectedPackets = groups.getFirst().expected();
        long receivedPackets = groups.getFirst().received();
        double loss = expectedPackets <= 0 ? 100 : Math.max(0, 100.0 * (expectedPackets - receivedPackets) / expectedPackets);
        CpuSplit serverCpu = serverSplit1.since(serverSplit0);
        double serverCpuNanos = serverCpu.known() ? serverCpu.userNanos() + serverCpu.kernelNanos() : -1;
        return new StepResult(name, n, ctx.connectedSubscriptions(), expected, seconds, packets, packets / seconds,
                (ctx.packetsSent() - sent0) / seconds, loss,
                s.latency().percentile(0.50), s.latency().percentile(0.99), s.latency().percentile(0.999),
                serverCpuNanos < 0 ? -1 : 100.0 * serverCpuNanos / (t1 - t0),
                server == null ? -1 : server.rssBytes(),
                serverCpuNanos < 0 || packets == 0 ? -1 : serverCpuNanos / 1000.0 / packets,
                100.0 * (selfCpu1 - selfCpu0) / (t1 - t0),
                s.nacksSent() - nacks0, s.plisSent() - plis0, ProcessStats.loadAverage(),
                serverWait0 < 0 || serverWait1 < 0 ? -1 : (serverWait1 - serverWait0) / 1e6 / seconds,
                selfWait0 < 0 || selfWait1 < 0 ? -1 : (selfWait1 - selfWait0) / 1e6 / seconds, List.copyOf(groups), delay,
                serverCpu);
    }

    public static String format(GroupTotals g) {
        return String.format(java.util.Locale.ROOT,
                "%s: %d streams, link drops %d random / %d queue, loss %.2f %% before repair, %.3f %% after, "
                        + "%d NACKs, %d PLIs, %d frames, %d freezes",
                g.label(), g.subscriptions(), g.linkLost(), g.linkQueueDrops(), g.lossBeforeRepairPercent(),
                g.lossAfterRepairPercent(), g.nacks(), g.plis(), g.framesShown(), g.freezes());
    }

    public static String format(StepResult r) {
        return String.format(java.util.Locale.ROOT,
                "%-8s N=%-4d streams %d/%d  fwd %8.0f pkt/s  loss %6.3f %%  p50 %6.2f ms  p99 %7.2f ms  p99.9 %7.2f ms"
                        + "  server-added p50/p99/p99.9 %s ms"
                        + "  server %5.1f %% CPU %5.0f MB  %5.2f us/pkt (user %.2f kernel %.2f; media loops %.2f)  gen %5.1f %%  load %.1f  cpu-wait srv %.0f gen %.0f ms/s  %s",
                r.scenario(), r.n(), r.streams(), r.expectedStreams(), r.forwardedPerSecond(), r.lossPercent(),
                r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.p999Micros() / 1000.0,
                r.serverDelay().measured() ? String.format(java.util.Locale.ROOT, "%.3f/%.3f/%.3f", r.serverDelay().p50Micros() / 1000.0,
                        r.serverDelay().p99Micros() / 1000.0, r.serverDelay().p999Micros() / 1000.0) : "-",
                r.serverCpuPercent(),
                r.serverRssBytes() / 1e6, r.serverCpuMicrosPerPacket(), r.serverUserMicrosPerPacket(),
                r.serverKernelMicrosPerPacket(), r.mediaLoopMicrosPerPacket(), r.generatorCpuPercent(), r.loadAverage(),
                r.serverWaitMillisPerSecond(), r.generatorWaitMillisPerSecond(),
                r.held() ? "held" : "NOT held");
    }
}
