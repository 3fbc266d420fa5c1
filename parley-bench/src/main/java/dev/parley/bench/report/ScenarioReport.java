package dev.parley.bench.report;

import dev.parley.bench.load.StepResult;
import java.util.List;
import java.util.Optional;

/**
 * A scenario's steps with the capacity derived from them, and optionally one extra step run
 * afterwards at half that capacity (null when not run), for latency at a comfortable load.
 */
public record ScenarioReport(String name, String description, List<StepResult> steps, List<String> notes,
        StepResult halfLoad) {

    public ScenarioReport(String name, String description, List<StepResult> steps, List<String> notes) {
        this(name, description, steps, notes, null);
    }

    public ScenarioReport withHalfLoad(StepResult step) {
        return new ScenarioReport(name, description, steps, notes, step);
    }

    /** The largest N that held (loss < 0.5 %, p99 < 50 ms), if any. */
    public Optional<StepResult> capacity() {
        return steps.stream().filter(StepResult::held).reduce((a, b) -> b.n() > a.n() ? b : a);
    }

    /** The largest step with server CPU measurements: per-packet cost is best amortised there. */
    public Optional<StepResult> largestMeasured() {
        return steps.stream().filter(s -> s.serverCpuMicrosPerPacket() > 0 && s.streams() > 0)
                .reduce((a, b) -> b.n() > a.n() ? b : a);
    }

    /**
     * Marginal server CPU per forwarded packet between the smallest and the largest measured step:
     * the slope of CPU against packet rate, which leaves out fixed costs (timers, JIT, signalling).
     */
    public Optional<Double> marginalMicrosPerPacket() {
        List<StepResult> m = steps.stream().filter(s -> s.serverCpuPercent() >= 0 && s.forwardedPerSecond() > 0).toList();
        if (m.size() < 2) {
            return Optional.empty();
        }
        StepResult a = m.getFirst(), b = m.getLast();
        double dPackets = b.forwardedPerSecond() - a.forwardedPerSecond();
        if (dPackets <= 0) {
            return Optional.empty();
        }
        return Optional.of((b.serverCpuPercent() - a.serverCpuPercent()) * 1e4 / dPackets);
    }

    /**
     * The N at which the server would use one full core, extrapolated linearly from the CPU cost per
     * forwarded packet at the largest measured step (ignores latency and loss, so an upper bound).
     */
    public Optional<Double> cpuBoundN() {
        return largestMeasured().map(s -> {
            double packetsPerStream = s.forwardedPerSecond() / s.streams();
            double streams = 1e6 / (s.serverCpuMicrosPerPacket() * packetsPerStream);
            boolean everyoneToEveryone = s.expectedStreams() == s.n() * (s.n() - 1) && s.n() > 1;
            return everyoneToEveryone ? (1 + Math.sqrt(1 + 4 * streams)) / 2 : streams;
        });
    }

    /** True if the first step that failed was one where the generator itself was saturated. */
    public boolean limitedByGenerator() {
        return steps.stream().filter(s -> !s.held()).findFirst().map(StepResult::generatorBound).orElse(false)
                || steps.stream().anyMatch(s -> s.held() && s.generatorBound());
    }
}
