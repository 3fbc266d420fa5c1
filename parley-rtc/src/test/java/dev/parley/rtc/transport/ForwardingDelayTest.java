package dev.parley.rtc.transport;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The media loops' forwarding delay histogram: buckets, quantiles from known samples, merging. */
class ForwardingDelayTest {
    private static final long US = 1_000, MS = 1_000_000;

    @Test
    void bucketsAreTenPerDecadeFromTenMicrosecondsToOneSecond() {
        double[] b = ForwardingDelay.upperBoundsSeconds();
        assertThat(b).hasSize(51);
        assertThat(b[0]).isEqualTo(10e-6);
        assertThat(b[10]).isEqualTo(100e-6);
        assertThat(b[30]).isEqualTo(10e-3);
        assertThat(b[50]).isEqualTo(1.0);
        for (int i = 1; i < b.length; i++) {
            assertThat(b[i] / b[i - 1]).isBetween(1.2, 1.3);
        }
    }

    @Test
    void aDelayGoesToTheFirstBucketWhoseUpperBoundIsAtLeastIt() {
        assertThat(ForwardingDelay.bucket(0)).isZero();
        assertThat(ForwardingDelay.bucket(10 * US)).isZero();             // le is inclusive
        assertThat(ForwardingDelay.bucket(10 * US + 1)).isEqualTo(1);
        assertThat(ForwardingDelay.bucket(1 * MS)).isEqualTo(20);
        assertThat(ForwardingDelay.bucket(1_000 * MS)).isEqualTo(50);
        assertThat(ForwardingDelay.bucket(1_000 * MS + 1)).isEqualTo(51);  // above 1 s
    }

    @Test
    void quantilesOfKnownSamplesFallInTheirBuckets() {
        ForwardingDelay d = new ForwardingDelay();
        for (int i = 0; i < 980; i++) d.record(100 * US);     // bucket 10: (80 µs, 100 µs]
        for (int i = 0; i < 19; i++) d.record(3 * MS);        // (2.5 ms, 3.15 ms]
        d.record(2_000 * MS);                                  // above 1 s
        ForwardingDelay.Snapshot s = d.snapshot();
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.sumSeconds()).isCloseTo(980 * 100e-6 + 19 * 3e-3 + 2.0, within(1e-9));
        assertThat(s.quantile(0.5)).isBetween(80e-6, 100e-6);
        assertThat(s.quantile(0.99)).isBetween(2.5e-3, 3.15e-3);
        assertThat(s.quantile(0.999)).isBetween(2.5e-3, 3.15e-3);
        assertThat(s.quantile(1.0)).isEqualTo(1.0);           // the open top bucket reads as its floor
        long[] cumulative = s.cumulative();
        assertThat(cumulative[9]).isZero();
        assertThat(cumulative[10]).isEqualTo(980);
        assertThat(cumulative[50]).isEqualTo(999);
        assertThat(cumulative[51]).isEqualTo(1000);
    }

    @Test
    void interpolatesInsideABucket() {
        ForwardingDelay d = new ForwardingDelay();
        for (int i = 0; i < 100; i++) d.record(1 * MS);       // all in (800 µs, 1 ms]
        assertThat(d.snapshot().quantile(0.5)).isCloseTo(900e-6, within(1e-9));
        assertThat(ForwardingDelay.Snapshot.empty().quantile(0.5)).isNaN();
    }

    @Test
    void theCopiesOfOnePacketInOneSendAreOneWeightedUpdate() {
        ForwardingDelay d = new ForwardingDelay();
        d.record(1 * MS, 300);
        d.record(5 * MS, 3);
        ForwardingDelay.Snapshot s = d.snapshot();
        assertThat(s.count()).isEqualTo(303);
        assertThat(s.counts()[20]).isEqualTo(300);
        assertThat(s.sumSeconds()).isCloseTo(0.3 + 0.015, within(1e-9));
        assertThat(s.quantile(0.99)).isBetween(0.8e-3, 1e-3);      // rank 300 of 303: still a 1 ms copy
        assertThat(s.quantile(0.995)).isBetween(4e-3, 5e-3);
    }

    @Test
    void aNegativeDelayCountsAsZero() {
        ForwardingDelay d = new ForwardingDelay();
        d.record(-5 * MS);                                     // realtime clock stepped back
        assertThat(d.snapshot().counts()[0]).isEqualTo(1);
        assertThat(d.snapshot().sumSeconds()).isZero();
    }

    @Test
    void loopsMergeAndTwoScrapesGiveOneStep() {
        ForwardingDelay a = new ForwardingDelay(), b = new ForwardingDelay();
        a.record(50 * US);
        b.record(50 * US);
        b.record(5 * MS);
        ForwardingDelay.Snapshot before = ForwardingDelay.merge(List.of(a, b));
        assertThat(before.count()).isEqualTo(3);
        assertThat(before.counts()[7]).isEqualTo(2);           // 50 µs
        for (int i = 0; i < 10; i++) a.record(20 * MS);
        ForwardingDelay.Snapshot step = ForwardingDelay.merge(List.of(a, b)).minus(before);
        assertThat(step.count()).isEqualTo(10);
        assertThat(step.quantile(0.5)).isBetween(16e-3, 20e-3);
        assertThat(step.sumSeconds()).isCloseTo(0.2, within(1e-9));
    }
}
