package dev.parley.bench;

import dev.parley.bench.load.LoadContext;
import dev.parley.bench.load.MediaSettings;
import dev.parley.bench.load.Scenario;
import dev.parley.bench.load.ScenarioRunner;
import dev.parley.bench.load.Scenarios;
import dev.parley.bench.load.StepResult;
import dev.parley.bench.metrics.ProcessStats;
import dev.parley.bench.metrics.ServerForwardingDelay;
import dev.parley.bench.report.CapacityPlot;
import dev.parley.bench.report.MarkdownReport;
import dev.parley.bench.report.ScenarioReport;
import dev.parley.bench.report.StepsCsv;
import dev.parley.bench.impair.ImpairmentPlan;
import dev.parley.bench.impair.ImpairmentProfile;
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

    private static MediaSettings fanoutMedia(BenchOptions o) {
        return MediaSettings.camera(o.bitrate(), o.simulcast(), o.fps(), o.keyframeSeconds(), o.pacing(), o.transportCc());
    }

    private static String describe(ImpairmentPlan plan) {
        if (plan.isEmpty()) {
            return "no emulated impairment";
        }
        List<String> groups = new ArrayList<>();
        for (int g = 0; g < plan.groups().size(); g++) {
            ImpairmentProfile p = plan.groups().get(g);
            groups.add("group " + (g + 1) + ": " + p.describe());
        }
        return "emulated in the generator (userspace, on the subscribers' receive side; seed " + plan.seed() + "): "
                + String.join("; ", groups) + ". Loss and latency in the step tables are the unimpaired subscribers'";
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
                () -> new LoadContext(o.url(), o.group(), o.userPrefix(), o.password(), o.srtpProfiles(),
                        o.peersPerReader(), o.impairments()),
                server, o.serverMetrics() == null ? null : new ServerForwardingDelay(o.serverMetrics()),
                Duration.ofSeconds(o.settleSeconds()), Duration.ofSeconds(o.windowSeconds()),
                o.failuresBeforeStop(), System.out::println);
        List<ScenarioReport> reports = new ArrayList<>();
        for (String name : o.scenarios()) {
            Scenario s = switch (name.trim()) {
                case "fanout" -> Scenarios.fanOut(o.fanoutSteps(), fanoutMedia(o));
                case "meeting" -> Scenarios.meeting(o.meetingSteps(),
                        MediaSettings.camera(o.meetingBitrate(), o.simulcast(), o.fps(), o.keyframeSeconds(), o.pacing()));
                case "audio" -> Scenarios.audioConference(o.audioSteps());
                default -> throw new IllegalArgumentException("unknown scenario " + name);
            };
            System.out.println("== " + s.name() + ": " + s.description());
            ScenarioRunner.Outcome outcome = runner.runWithNotes(s);
            ScenarioReport report = new ScenarioReport(s.name(), s.description(), outcome.steps(), outcome.notes());
            if (s.name().equals("fanout") && o.halfLoadStep() && report.capacity().isPresent()) {
                int half = Math.max(1, report.capacity().get().n() / 2);
                System.out.println("== fanout at half the capacity: N=" + half);
                List<StepResult> h = runner.run(Scenarios.fanOut(List.of(half), fanoutMedia(o)));
                if (!h.isEmpty()) {
                    report = report.withHalfLoad(h.getFirst());
                }
            }
            reports.add(report);
        }
        List<String> setup = List.of(
                "date: " + Instant.now(),
                "server: " + o.url() + (server != null ? " (pid " + server.pid() + ")" : " (no CPU metrics)"),
                "machine: " + Runtime.getRuntime().availableProcessors() + " CPUs visible to the generator, "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                        + Runtime.version(),
                "SRTP profiles offered: " + Arrays.toString(o.srtpProfiles()),
                "subscriber reading: " + o.readerMode(),
                "publishers' video: " + o.pacing().describe()
                        + (o.transportCc() ? "; transport-cc offered and packets numbered (--transport-cc)" : "; REMB only"),
                "server-added latency: " + (o.serverMetrics() == null ? "not read (no --server-metrics)"
                        : "the server's parley_media_forwarding_delay_seconds histogram from " + o.serverMetrics()
                        + " (kernel receive timestamp to the sendmmsg of each forwarded copy), difference of scrapes before and after each window"),
                "network: " + describe(o.impairments()),
                "window " + o.windowSeconds() + " s per step after " + o.settleSeconds() + " s settling");
        CapacityPlot.write(reports, o.out().resolve("capacity.png"));
        Files.writeString(o.out().resolve("report.md"),
                MarkdownReport.render("Parley load benchmark", setup, reports, "capacity.png"));
        Files.writeString(o.out().resolve("steps.csv"), StepsCsv.steps(reports, o.peersPerReader()));
        if (!o.impairments().isEmpty()) {
            Files.writeString(o.out().resolve("groups.csv"), StepsCsv.groups(reports));
        }
        System.out.println("report: " + o.out().resolve("report.md"));
        System.exit(0);
    }
}
