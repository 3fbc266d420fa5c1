package dev.parley.bench.metrics;

/**
 * Where a process's CPU time went, in nanoseconds: user space, the kernel (system calls, and on
 * loopback the receivers' whole receive path, which runs inside the sender's sendmmsg), and the
 * part of both spent on its media loop threads (Parley's {@code parley-udp-*}). The media loops'
 * share leaves out the JIT compiler, the garbage collector and signalling, which a short bench
 * window would otherwise charge to each forwarded packet.
 */
public record CpuSplit(long userNanos, long kernelNanos, long mediaLoopNanos) {
    public static final CpuSplit UNKNOWN = new CpuSplit(-1, -1, -1);

    public boolean known() {
        return userNanos >= 0 && kernelNanos >= 0 && mediaLoopNanos >= 0;
    }

    /** This minus an earlier sample; UNKNOWN if either is. */
    public CpuSplit since(CpuSplit earlier) {
        if (!known() || !earlier.known()) {
            return UNKNOWN;
        }
        return new CpuSplit(userNanos - earlier.userNanos, kernelNanos - earlier.kernelNanos,
                mediaLoopNanos - earlier.mediaLoopNanos);
    }

    public double userMicrosPer(long packets) {
        return perPacket(userNanos, packets);
    }

    public double kernelMicrosPer(long packets) {
        return perPacket(kernelNanos, packets);
    }

    public double mediaLoopMicrosPer(long packets) {
        return perPacket(mediaLoopNanos, packets);
    }

    /** Microseconds per packet; -1 if unknown or no packets. */
    private double perPacket(long nanos, long packets) {
        return !known() || packets <= 0 ? -1 : nanos / 1000.0 / packets;
    }
}
