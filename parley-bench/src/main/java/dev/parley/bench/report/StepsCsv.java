package dev.parley.bench.report;

import dev.parley.bench.load.GroupTotals;
import dev.parley.bench.load.StepResult;
import java.util.List;
import java.util.Locale;

/**
 * The machine-readable results: {@code steps.csv} (one row per step, the half-load step as
 * scenario {@code <name>-half}; {@code p50_us}… are the generator's end-to-end latency,
 * {@code server_added_*} the server's own forwarding delay histogram, -1 when not read; the server's
 * CPU per packet split into user, kernel and its media loop threads' share) and {@code groups.csv} (one row per receiver group and step).
 */
public final class StepsCsv {
    private StepsCsv() {
    }

    public static String steps(List<ScenarioReport> reports, int peersPerReader) {
        StringBuilder csv = new StringBuilder("scenario,n,streams,expected,fwd_pps,sent_pps,loss_pct,p50_us,p99_us,"
                + "p999_us,server_cpu_pct,server_rss_bytes,server_us_per_pkt,gen_cpu_pct,nacks,plis,held,peers_per_reader,"
                + "server_added_p50_us,server_added_p99_us,server_added_p999_us,server_added_samples,"
                + "server_user_us_per_pkt,server_kernel_us_per_pkt,media_loops_us_per_pkt\n");
        for (ScenarioReport r : reports) {
            for (StepResult t : r.steps()) {
                stepRow(csv, t.scenario(), t, peersPerReader);
            }
            if (r.halfLoad() != null) {
                stepRow(csv, r.name() + "-half", r.halfLoad(), peersPerReader);
            }
        }
        return csv.toString();
    }

    private static void stepRow(StringBuilder csv, String scenario, StepResult t, int peersPerReader) {
        csv.append(String.join(",", scenario, "" + t.n(), "" + t.streams(), "" + t.expectedStreams(),
                "" + t.forwardedPerSecond(), "" + t.sentPerSecond(), "" + t.lossPercent(), "" + t.p50Micros(),
                "" + t.p99Micros(), "" + t.p999Micros(), "" + t.serverCpuPercent(), "" + t.serverRssBytes(),
                "" + t.serverCpuMicrosPerPacket(), "" + t.generatorCpuPercent(), "" + t.nacks(), "" + t.plis(),
                "" + t.held(), "" + peersPerReader, "" + t.serverDelay().p50Micros(), "" + t.serverDelay().p99Micros(),
                "" + t.serverDelay().p999Micros(), "" + t.serverDelay().count(), "" + t.serverUserMicrosPerPacket(),
                "" + t.serverKernelMicrosPerPacket(), "" + t.mediaLoopMicrosPerPacket())).append('\n');
    }

    public static String groups(List<ScenarioReport> reports) {
        StringBuilder csv = new StringBuilder("scenario,n,group,subscriptions,expected,received,loss_before_repair_pct,"
                + "loss_after_repair_pct,link_arrived,link_lost,link_queue_drops,nacks,plis,frames,freezes,frozen_ms\n");
        for (ScenarioReport r : reports) {
            List<StepResult> steps = new java.util.ArrayList<>(r.steps());
            if (r.halfLoad() != null) {
                steps.add(r.halfLoad());
            }
            for (StepResult t : steps) {
                String scenario = t == r.halfLoad() ? r.name() + "-half" : t.scenario();
                for (GroupTotals g : t.groups()) {
                    csv.append(String.format(Locale.ROOT, "%s,%d,\"%s\",%d,%d,%d,%.4f,%.4f,%d,%d,%d,%d,%d,%d,%d,%d%n",
                            scenario, t.n(), g.label(), g.subscriptions(), g.expected(), g.received(),
                            g.lossBeforeRepairPercent(), g.lossAfterRepairPercent(), g.linkArrived(), g.linkLost(),
                            g.linkQueueDrops(), g.nacks(), g.plis(), g.framesShown(), g.freezes(),
                            g.frozenNanos() / 1_000_000));
                }
            }
        }
        return csv.toString();
    }
}
