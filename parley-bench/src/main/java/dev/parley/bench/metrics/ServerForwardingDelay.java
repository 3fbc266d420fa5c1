package dev.parley.bench.metrics;

import dev.parley.rtc.transport.ForwardingDelay;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The server's own measure of the delay it adds to forwarded media, read from its Prometheus
 * {@code /metrics} ({@code parley_media_forwarding_delay_seconds}: kernel receive timestamp of a
 * packet to the sendmmsg of each copy, one observation per forwarded datagram). Scraped before and after a step, the difference of the
 * buckets gives that step's distribution.
 *
 * <p>Why next to the generator's latency: the generator's figure (publisher's send to subscriber's
 * read, both in this process) includes its own scheduling, which dominates when its reader threads
 * share a saturated core; the server's histogram does not depend on how fast the generator reads.
 * Optional: another server, or a Parley without it, just leaves the columns empty.
 */
public final class ServerForwardingDelay {
    static final String FAMILY = "parley_media_forwarding_delay_seconds";
    private static final double[] BOUNDS = ForwardingDelay.upperBoundsSeconds();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;

    public ServerForwardingDelay(URI metrics) {
        this.metrics = metrics;
    }

    /** The histogram now, or empty when the endpoint does not answer or has no such histogram. */
    public Optional<ForwardingDelay.Snapshot> scrape() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? parse(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The histogram in a Prometheus text exposition, or empty when it is not there. */
    static Optional<ForwardingDelay.Snapshot> parse(String text) {
        long[] cumulative = new long[BOUNDS.length + 1];
        boolean[] seen = new boolean[cumulative.length];
        double sum = 0;
        String bucket = FAMILY + "_bucket{le=\"";
        for (String line : text.split("\n")) {
            if (line.startsWith(bucket)) {
                int close = line.indexOf('"', bucket.length());
                int i = index(line.substring(bucket.length(), close));
                if (i >= 0) {
                    cumulative[i] = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    seen[i] = true;
                }
            } else if (line.startsWith(FAMILY + "_sum ")) {
                sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        for (boolean b : seen) {
            if (!b) {
                return Optional.empty();                  // not this server's buckets
            }
        }
        long[] counts = new long[cumulative.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
        }
        return Optional.of(new ForwardingDelay.Snapshot(counts, sum));
    }

    private static int index(String le) {
        if (le.equals("+Inf")) {
            return BOUNDS.length;
        }
        double v = Double.parseDouble(le);
        for (int i = 0; i < BOUNDS.length; i++) {
            if (Math.abs(v - BOUNDS[i]) <= BOUNDS[i] * 1e-9) {
                return i;
            }
        }
        return -1;
    }

    /** One step's server-added delay: quantiles in microseconds (-1 when nothing was measured). */
    public record Step(long count, long p50Micros, long p99Micros, long p999Micros) {
        public static final Step NONE = new Step(0, -1, -1, -1);

        public static Step between(Optional<ForwardingDelay.Snapshot> before, Optional<ForwardingDelay.Snapshot> after) {
            if (before.isEmpty() || after.isEmpty()) {
                return NONE;
            }
            ForwardingDelay.Snapshot d = after.get().minus(before.get());
            if (d.count() <= 0) {
                return NONE;
            }
            return new Step(d.count(), micros(d.quantile(0.50)), micros(d.quantile(0.99)), micros(d.quantile(0.999)));
        }

        private static long micros(double seconds) {
            return Math.round(seconds * 1e6);
        }

        public boolean measured() {
            return count > 0;
        }
    }
}
