package dev.parley.bench.micro;

import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.rtp.RtpWriter;
import dev.parley.rtc.rtp.TransportSequence;
import dev.parley.server.dependencydescriptor.FrameNumbering;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One AV1 copy for a receiver that takes transport-cc, as a down track makes it (issue #13):
 * parse the received packet, write it forwarded with its dependency descriptor under the down id,
 * shift the descriptor's frame number, stamp the transport-wide number. {@code way}: {@code
 * appended}, the descriptor written alone and the number appended by stamping (which moves the
 * payload 4 bytes on: how it was done before), or {@code together}, both elements written while
 * the payload is copied and the number overwritten in place. {@code dd}: a 3-byte descriptor
 * (one-byte form) or a 30-byte one with a structure (two-byte form). 1100 bytes of payload.
 *
 * <pre>java -cp parley-bench-*-all.jar dev.parley.bench.micro.Av1CopyBenchmark [OPS]</pre>
 * runs the four cases in the thread's CPU time instead (alternating, 9 rounds; see {@link ForwardingCpuTime}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Av1CopyBenchmark {
    private static final int DD_IN = 11, DD_OUT = 4, TRANSPORT_CC = 3;

    @Param({"appended", "together"})
    public String way;

    @Param({"3", "30"})
    public int dd;

    private final byte[] in = new byte[1500];
    private final byte[] out = new byte[1500 + TransportSequence.MAX_GROWTH];
    private final RtpPacket view = new RtpPacket();
    private int length;
    private boolean together;
    private int seq;

    @Setup
    public void setUp() {
        byte[] plain = new byte[12 + 1100];
        for (int i = 12; i < plain.length; i++) {
            plain[i] = (byte) (i * 31 + 7);
        }
        RtpWriter.writeHeader(plain, 0, false, 35, 1, 90_000, 0xABCDEF01L);
        view.wrap(plain, 0, plain.length);
        // the received packet: the payload's first bytes stand for the descriptor
        length = RtpWriter.writeForwarded(view, in, 0, 35, 1, 0xABCDEF01L, false, DD_IN, 12, dd);
        together = way.equals("together");
    }

    @Benchmark
    public int copy() {
        seq = (seq + 1) & 0xFFFF;
        if (!view.wrap(in, 0, length)) {
            return -1;
        }
        int at = view.findExtension(DD_IN);
        int ddLength = view.lastExtensionLength();
        int n = together
                ? RtpWriter.writeForwarded(view, out, 0, 45, seq, 0x11223344L, false, DD_OUT, at, ddLength, TRANSPORT_CC)
                : RtpWriter.writeForwarded(view, out, 0, 45, seq, 0x11223344L, false, DD_OUT, at, ddLength);
        FrameNumbering.shift(out, RtpWriter.forwardedElementOffset(DD_OUT, ddLength), ddLength, 5);
        return TransportSequence.stamp(out, 0, n, TRANSPORT_CC, seq);
    }

    public static void main(String[] args) {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        var bean = ManagementFactory.getThreadMXBean();
        String[] ways = {"appended", "together"};
        int[] dds = {3, 30};
        Av1CopyBenchmark[] cases = new Av1CopyBenchmark[4];
        for (int i = 0; i < 4; i++) {
            cases[i] = new Av1CopyBenchmark();
            cases[i].way = ways[i % 2];
            cases[i].dd = dds[i / 2];
            cases[i].setUp();
        }
        long sink = 0;
        for (Av1CopyBenchmark b : cases) {
            for (int i = 0; i < ops; i++) {
                sink += b.copy();                               // warm-up: C2 compiles the path
            }
        }
        double[][] rounds = new double[4][9];
        for (int k = 0; k < 9; k++) {
            for (int c = 0; c < 4; c++) {                       // alternating, so the others' load hits all alike
                long t0 = bean.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    sink += cases[c].copy();
                }
                rounds[c][k] = (bean.getCurrentThreadCpuTime() - t0) / (double) ops;
            }
        }
        for (int c = 0; c < 4; c++) {
            Arrays.sort(rounds[c]);
            System.out.printf("way=%s dd=%d: ns of CPU per copy min %.1f median %.1f%n",
                    cases[c].way, cases[c].dd, rounds[c][0], rounds[c][4]);
        }
        System.out.println(sink & 1);
    }
}
