package dev.parley.server.metrics;

import dev.parley.rtc.transport.ForwardingDelay;
import dev.parley.server.sfu.MediaService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * {@code parley_media_forwarding_delay_seconds}: the delay the server adds to forwarded media, from
 * the kernel's receive timestamp of an RTP packet to the sendmmsg of each copy forwarded to a
 * receiver (one observation per copy; see {@code ForwardingDelay}).
 *
 * <p>Why a Prometheus collector and not a Micrometer meter: the media loops keep their own
 * fixed-bucket histograms, written without allocating or locking per packet, and Micrometer has no
 * meter that reads buckets kept elsewhere. The collector reads and sums them when scraped.
 */
final class ForwardingDelayMetric implements Collector {
    static final String NAME = "parley_media_forwarding_delay_seconds";
    private static final double[] BOUNDS = withInfinity(ForwardingDelay.upperBoundsSeconds());

    private final MediaService media;

    private ForwardingDelayMetric(MediaService media) {
        this.media = media;
    }

    /** Registers the histogram when the registry is Prometheus's (the server's always is). */
    static void bind(MeterRegistry registry, MediaService media) {
        if (registry instanceof PrometheusMeterRegistry p) {
            p.getPrometheusRegistry().register(new ForwardingDelayMetric(media));
        }
    }

    private static double[] withInfinity(double[] bounds) {
        double[] b = java.util.Arrays.copyOf(bounds, bounds.length + 1);
        b[bounds.length] = Double.POSITIVE_INFINITY;
        return b;
    }

    @Override
    public MetricSnapshot collect() {
        ForwardingDelay.Snapshot s = media.forwardingDelay();
        return HistogramSnapshot.builder()
                .name(NAME)
                .help("Delay the server adds to forwarded RTP: kernel receive timestamp of a packet to the sendmmsg"
                        + " of each copy sent to a receiver, one observation per copy (absent with -Dparley.noRecvmmsg=true)")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, s.counts()))
                        .sum(s.sumSeconds())
                        .build())
                .build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
