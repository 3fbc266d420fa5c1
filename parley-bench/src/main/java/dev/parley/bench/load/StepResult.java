package dev.parley.bench.load;

/**
 * One measured step. Latencies in microseconds (-1 when nothing was received); CPU in percent of
 * one core; {@code serverCpuMicrosPerPacket} is server CPU time over forwarded (received) packets;
 * {@code loadAverage} is the machine's 1-minute load average at the end of the step; the wait figures are
 * milliseconds per second that the process's threads were runnable but waited for a CPU (schedstat):
 * other work on the same core shows up there, and as latency that is not the server's own.
 * Loss and latency are those of the unimpaired subscribers; {@code groups} has every receiver
 * group's counts over the window, the unimpaired first. {@code serverDelay} is the server's own
 * histogram of the delay it adds (kernel receive to send, from its {@code /metrics}) over the window,
 * independent of how fast this generator reads; {@code p50Micros} etc. are the generator's
 * end-to-end figures, which include the generator's own queueing. {@code serverCpuSplit} is the
 * server's CPU time over the window split into user and kernel time, and its media loops' share.
 */
public record StepResult(
        String scenario,
        int n,
        int streams,
        int expectedStreams,
        double seconds,
        long forwardedPackets,
        double forwardedPerSecond,
        double sentPerSecond,
        double lossPercent,
        long p50Micros,
        long p99Micros,
        long p999Micros,
        double serverCpuPercent,
        long serverRssBytes,
        double serverCpuMicrosPerPacket,
        double generatorCpuPercent,
        long nacks,
        long plis,
        double loadAverage,
        double serverWaitMillisPerSecond,
        double generatorWaitMillisPerSecond,
        java.util.List<GroupTotals> groups,
        dev.parley.bench.metrics.ServerForwardingDelay.Step serverDelay,
        dev.parley.bench.metrics.CpuSplit serverCpuSplit) {

    public static final double MAX_LOSS_PERCENT = 0.5;
    public static final long MAX_P99_MICROS = 50_000;

    /** The capacity criterion: every stream up, loss < 0.5 % and p99 < 50 ms. */
    public boolean held() {
        return streams >= expectedStreams && forwardedPackets > 0 && lossPercent < MAX_LOSS_PERCENT
                && p99Micros >= 0 && p99Micros < MAX_P99_MICROS;
    }

    /**
     * Far past capacity: streams missing, heavy loss, half-second tails or a saturated server core.
     * Steps that only miss the latency target (e.g. on a busy machine) do not stop a run.
     */
    public boolean saturated() {
        return streams < expectedStreams || lossPercent >= 2 || p99Micros < 0 || p99Micros >= 500_000
                || serverCpuPercent >= 95;
    }

    /** Server user-space CPU per forwarded packet, µs (-1 if unknown). */
    public double serverUserMicrosPerPacket() {
        return serverCpuSplit.userMicrosPer(forwardedPackets);
    }

    /** Server kernel CPU per forwarded packet, µs: on loopback it includes the receivers' receive path. */
    public double serverKernelMicrosPerPacket() {
        return serverCpuSplit.kernelMicrosPer(forwardedPackets);
    }

    /** The media loop threads' CPU (user + kernel) per forwarded packet, µs: no JIT, GC or signalling. */
    public double mediaLoopMicrosPerPacket() {
        return serverCpuSplit.mediaLoopMicrosPer(forwardedPackets);
    }

    /** The load generator itself was near saturation, so the step may understate the server. */
    public boolean generatorBound() {
        return generatorCpuPercent >= 90;
    }
}
