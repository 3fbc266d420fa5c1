package dev.parley.bench.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesOfAUniformTraceAreWithinBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100_000; v++) {
            h.record(v);
        }
        assertThat(h.count()).isEqualTo(100_000);
        assertThat((double) h.percentile(0.50)).isCloseTo(50_000, within(50_000 / 64.0));
        assertThat((double) h.percentile(0.99)).isCloseTo(99_000, within(99_000 / 64.0));
        assertThat((double) h.percentile(0.999)).isCloseTo(99_900, within(99_900 / 64.0));
    }

    @Test
    void smallValuesAreExactAndATailIsSeen() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 990; i++) {
            h.record(100);
        }
        for (int i = 0; i < 10; i++) {
            h.record(80_000);          // 1 % of packets at 80 ms
        }
        assertThat(h.percentile(0.5)).isEqualTo(100);
        assertThat(h.percentile(0.99)).isEqualTo(100);
        assertThat((double) h.percentile(0.999)).isCloseTo(80_000, within(80_000 / 64.0));
    }

    @Test
    void bucketsAreContiguousAndMonotonic() {
        for (long v = 0; v < 5_000_000; v += 7) {
            int i = LatencyHistogram.index(v);
            assertThat(LatencyHistogram.lowerBound(i)).isLessThanOrEqualTo(v);
            assertThat(LatencyHistogram.lowerBound(i + 1)).isGreaterThan(v);
        }
    }

    @Test
    void emptyAndResetHistogramsReportNothing() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.percentile(0.5)).isEqualTo(-1);
        h.record(5);
        h.reset();
        assertThat(h.count()).isZero();
        h.record(-3);                  // clock skew cannot produce a negative bucket
        assertThat(h.percentile(0.5)).isZero();
    }
}
