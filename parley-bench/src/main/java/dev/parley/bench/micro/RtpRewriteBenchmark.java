package dev.parley.bench.micro;

import dev.parley.bench.media.RtpHeader;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.RtpWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A down track's header rewrite: parse a received packet (with mid/rid extensions) and write it forwarded. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtpRewriteBenchmark {
    private final byte[] in = new byte[1500];
    private final byte[] out = new byte[1504];
    private final RtpPacket view = new RtpPacket();
    private int length;
    private int seq;

    @Setup
    public void setUp() {
        int h = RtpHeader.write(in, true, 96, 1, 90_000, 0xABCDEF01L, 4, "1".getBytes(), 10, "h".getBytes());
        length = h + 1100;
    }

    @Benchmark
    public int writeForwarded() {
        seq = (seq + 1) & 0xFFFF;
        if (!view.wrap(in, 0, length)) {
            return -1;
        }
        return RtpWriter.writeForwarded(view, out, 0, 96, seq, 0x11223344L, false);
    }
}
