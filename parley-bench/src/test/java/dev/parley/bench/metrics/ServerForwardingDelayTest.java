package dev.parley.bench.metrics;

import dev.parley.rtc.transport.ForwardingDelay;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the server's forwarding delay histogram from Prometheus text, and one step's quantiles from two scrapes. */
class ServerForwardingDelayTest {
    /** Prometheus text of the histogram with {@code perBucket} observations in bucket {@code i} (others empty). */
    private static String exposition(long[] perBucket, double sum) {
        double[] bounds = ForwardingDelay.upperBoundsSeconds();
        StringBuilder s = new StringBuilder("# HELP other_metric x\nother_metric 3\n"
                + "# TYPE parley_media_forwarding_delay_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i <= bounds.length; i++) {
            cumulative += perBucket[i];
            String le = i == bounds.length ? "+Inf" : Double.toString(bounds[i]);
            s.append("parley_media_forwarding_delay_seconds_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
        }
        s.append("parley_media_forwarding_delay_seconds_count ").append(cumulative).append('\n');
        s.append("parley_media_forwarding_delay_seconds_sum ").append(sum).append('\n');
        return s.toString();
    }

    @Test
    void parsesTheCumulativeBucketsBackIntoCounts() {
        long[] counts = new long[52];
        counts[10] = 990;                 // (80 µs, 100 µs]
        counts[25] = 10;                  // (2.5 ms, 3.15 ms]
        ForwardingDelay.Snapshot s = ServerForwardingDelay.parse(exposition(counts, 0.128)).orElseThrow();
        assertThat(s.counts()).isEqualTo(counts);
        assertThat(s.sumSeconds()).isEqualTo(0.128);
    }

    @Test
    void aStepIsTheDifferenceOfTwoScrapes() {
        long[] before = new long[52], after = new long[52];
        before[30] = 1000;                // 10 ms: an earlier, slow step
        after[30] = 1000;
        after[10] = 990;
        after[25] = 10;
        ServerForwardingDelay.Step step = ServerForwardingDelay.Step.between(
                ServerForwardingDelay.parse(exposition(before, 10)), ServerForwardingDelay.parse(exposition(after, 10.1)));
        assertThat(step.count()).isEqualTo(1000);
        assertThat(step.p50Micros()).isBetween(80L, 100L);
        assertThat(step.p99Micros()).isBetween(80L, 100L);
        assertThat(step.p999Micros()).isBetween(2500L, 3150L);
    }

    @Test
    void anotherServerOrNoScrapeMeansNotMeasured() {
        assertThat(ServerForwardingDelay.parse("other_metric 3\n")).isEmpty();
        assertThat(ServerForwardingDelay.Step.between(Optional.empty(), Optional.empty()).measured()).isFalse();
        ServerForwardingDelay.Step idle = ServerForwardingDelay.Step.between(
                ServerForwardingDelay.parse(exposition(new long[52], 0)), ServerForwardingDelay.parse(exposition(new long[52], 0)));
        assertThat(idle.measured()).isFalse();
        assertThat(idle.p99Micros()).isEqualTo(-1);
    }
}
