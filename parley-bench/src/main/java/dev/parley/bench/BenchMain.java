package dev.parley.bench;

import dev.parley.bench.load.LoadContext;
import dev.parley.bench.load.MediaSettings;
import dev.parley.bench.load.Scenario;
import dev.parley.bench.load.ScenarioRunner;
import dev.parley.bench.load.Scenarios;
import dev.parley.bench.load.StepResult;
import dev.parley.bench.metrics.ProcessStats;
import dev.parley.bench.report.CapacityPlot;
import dev.parley.bench.report.MarkdownReport;
import dev.parley.bench.report.ScenarioReport;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The load generator: runs the chosen scenarios against a server and writes {@code report.md},
 * {@code capacity.png} and {@code steps.csv} to the results directory.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("parley-bench: " + e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Files.createDirectories(o.out());
        ProcessStats server = o.serverPid() > 0 ? new ProcessStats(o.serverPid()) : null;
        ScenarioRunner runner = new ScenarioRunner(
                () -> new LoadContext(o.url(), o.group(), o.userPrefix(), o.password(), o.srtpProfiles()),
                server, Duration.ofSeconds(o.settleSeconds()), Duration.ofSeconds(o.windowSeconds()),
                o.failuresBeforeStop(), System.out::println);
        List<ScenarioReport> reports = new ArrayList<>();
        for (String name : o.scenarios()) {
            Scenario s = switch (name.trim()) {
                case "fanout" -> Scenarios.fanOut(o.fanoutSteps(),
                        MediaSettings.camera(o.bitrate(), o.simulcast(), o.fps(), o.keyframeSeconds()));
                case "meeting" -> Scenarios.meeting(o.meetingSteps(),
                        MediaSettings.camera(o.meetingBitrate(), o.simulcast(), o.fps(), o.keyframeSeconds()));
                case "audio" -> Scenarios.audioConference(o.audioSteps());
                default -> throw new IllegalArgumentException("unknown scenario " + name);
            };
            System.out.println("== " + s.name() + ": " + s.description());
            ScenarioRunner.Outcome outcome = runner.runWithNotes(s);
            reports.add(new ScenarioReport(s.name(), s.description(), outcome.steps(), outcome.notes()));
        }
        List<String> setup = List.of(
                "date: " + Instant.now(),
                "server: " + o.url() + (server != null ? " (pid " + server.pid() + ")" : " (no CPU metrics)"),
                "machine: " + Runtime.getRuntime().availableProcessors() + " CPUs visible to the generator, "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                        + Runtime.version(),
                "SRTP profiles offered: " + Arrays.toString(o.srtpProfiles()),
                "window " + o.windowSeconds() + " s per step after " + o.settleSeconds() + " s settling");
        CapacityPlot.write(reports, o.out().resolve("capacity.png"));
        Files.writeString(o.out().resolve("report.md"),
                MarkdownReport.render("Parley load benchmark", setup, reports, "capacity.png"));
        StringBuilder csv = new StringBuilder("scenario,n,streams,expected,fwd_pps,sent_pps,loss_pct,p50_us,p99_us,p999_us,"
                + "server_cpu_pct,server_rss_bytes,server_us_per_pkt,gen_cpu_pct,nacks,plis,held\n");
        for (ScenarioReport r : reports) {
            for (StepResult t : r.steps()) {
                csv.append(String.join(",", t.scenario(), "" + t.n(), "" + t.streams(), "" + t.expectedStreams(),
                        "" + t.forwardedPerSecond(), "" + t.sentPerSecond(), "" + t.lossPercent(), "" + t.p50Micros(),
                        "" + t.p99Micros(), "" + t.p999Micros(), "" + t.serverCpuPercent(), "" + t.serverRssBytes(),
                        "" + t.serverCpuMicrosPerPacket(), "" + t.generatorCpuPercent(), "" + t.nacks(), "" + t.plis(),
                        "" + t.held())).append('\n');
            }
        }
        Files.writeString(o.out().resolve("steps.csv"), csv);
        System.out.println("report: " + o.out().resolve("report.md"));
        System.exit(0);
    }
}
