package dev.parley.bench.micro;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * {@link ForwardingBenchmark#forward} timed in the calling thread's CPU time instead of JMH's wall
 * time: on a machine shared with other jobs (load well above the core count), JMH's error bars
 * exceed its means because the thread waits for a core; CPU time leaves that wait out (cache
 * pollution by the others stays in: compare builds run alternately). Prints the minimum and
 * median of 9 rounds, per forwarded copy.
 *
 * <pre>java -cp parley-bench-*-all.jar dev.parley.bench.micro.ForwardingCpuTime RECEIVERS none|cm|gcm off|on [OPS]</pre>
 */
public final class ForwardingCpuTime {
    private ForwardingCpuTime() {
    }

    public static void main(String[] args) {
        var bean = ManagementFactory.getThreadMXBean();
        ForwardingBenchmark b = new ForwardingBenchmark();
        b.receivers = Integer.parseInt(args[0]);
        b.srtp = args[1];
        b.transportCc = args[2];
        b.setUp();
        int ops = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        long sink = 0;
        for (int i = 0; i < 3 * ops; i++) {
            sink += b.forward();                                // warm-up: C2 compiles the path
        }
        double[] rounds = new double[9];
        for (int k = 0; k < rounds.length; k++) {
            long t0 = bean.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                sink += b.forward();
            }
            rounds[k] = (bean.getCurrentThreadCpuTime() - t0) / (double) ops / b.receivers;
        }
        Arrays.sort(rounds);
        System.out.printf("receivers=%d srtp=%s transportCc=%s: ns of CPU per forwarded copy min %.1f median %.1f (%d)%n",
                b.receivers, b.srtp, b.transportCc, rounds[0], rounds[rounds.length / 2], sink & 1);
    }
}
