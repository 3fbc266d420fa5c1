package dev.parley.bench.micro;

import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.transport.HandoffTarget;
import dev.parley.rtc.transport.MediaLoop;
import dev.parley.rtc.transport.UdpMux;
import dev.parley.rtc.transport.UdpMuxConfig;
import java.net.InetAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cross-loop hand-off alone: the benchmark thread plays the presenter's loop and hands one
 * {@code size}-byte packet per operation to another real media loop, which takes it off its ring
 * (a receiving loop would then forward it to its receivers). When the ring is full the producer
 * waits for room, so the score is the sustained rate of the pair (producer copy + publish,
 * consumer wake-up + drain). With {@code -prof gc}: bytes allocated per packet, both threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LoopHandoffBenchmark {
    @Param({"1200"})
    public int size;

    private UdpMux mux;
    private MediaLoop from;
    private MediaLoop to;
    private byte[] packet;
    private final AtomicLong consumed = new AtomicLong();
    private final HandoffTarget target = (ref, buf, off, len, arg) -> consumed.lazySet(consumed.get() + 1);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        mux = UdpMux.start(UdpMuxConfig.of(InetAddress.getLoopbackAddress(), 0, DtlsCertificate.generate(),
                Executors.newVirtualThreadPerTaskExecutor()).withLoops(2));
        from = mux.loops().get(0);
        to = mux.loops().get(1);
        packet = new byte[size];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        mux.close();
    }

    @Benchmark
    public boolean handOff() {
        while (!from.handOff(to, target, null, packet, 0, size, 0)) {
            Thread.onSpinWait();                         // ring full: the consumer is behind
        }
        return true;
    }
}
