package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14: probe clusters made of RTX copies of recent media (~1100 bytes each, as libwebrtc
 * sends when the receiver negotiated RTX) instead of 275-byte padding packets. Behind a token
 * bucket whose burst is twice HTB's default (3.2 KB), a padding cluster read up to 545 kbit/s
 * behind 300 kbit/s: its packets were too small for the burst to be spent within the cluster's
 * first half. Copies of full-size media spend it in three packets.
 */
class ProbeWithMediaCopiesTest {
    private static final long SECOND = 1_000_000;
    /** An RTX copy of a 1100-byte media packet: its OSN and the transport-wide number's extension. */
    private static final int COPY = 1100 + 2 + 8;

    @Test
    void aClusterOfMediaCopiesThroughABucketWithALargeBurstReadsNoMoreThanItsRate() {
        for (long sent : new long[]{100_000, 200_000, 250_000}) {
            for (long probe : new long[]{0, 600_000, 1_000_000}) {
                for (long burst : new long[]{1_600, 3_200}) {
                    LinkSimulation sim = new LinkSimulation(300_000, sent);
                    sim.burstBytes = burst;
                    sim.run(5 * SECOND, false);
                    long rate = probe > 0 ? probe : (long) (sim.estimator.estimate() * ProbeController.FACTOR);
                    probeWithCopies(sim, rate);
                    sim.run(SECOND / 2, false);
                    assertThat(sim.estimator.lastProbeResult()).as("burst %d, media %d, probe at %d", burst, sent, rate)
                            .isPositive().isLessThanOrEqualTo(315_000L);
                }
            }
        }
    }

    /**
     * And where the link is roomy, a cluster of copies shows its rate (behind a 3.2 KB burst too),
     * if a little under it: 85-100 % here, the media frames sent meanwhile come in bursts that a
     * cluster of ten packets does not average out. Under-reading is the safe side: a slower climb.
     */
    @Test
    void aClusterOfMediaCopiesStillShowsARoomyLink() {
        for (long sent : new long[]{100_000, 200_000, 300_000}) {
            for (long probe : new long[]{600_000, 1_000_000, 2_000_000}) {
                LinkSimulation roomy = new LinkSimulation(5_000_000, sent);
                roomy.burstBytes = 3_200;
                roomy.run(5 * SECOND, false);
                probeWithCopies(roomy, probe);
                roomy.run(SECOND / 2, false);
                assertThat(roomy.estimator.lastProbeResult()).as("media %d, probe at %d", sent, probe)
                        .isGreaterThan(probe * 8 / 10);
            }
        }
    }

    /**
     * A cluster at {@code rateBps} as the server sends it to a receiver with RTX: copies topping
     * the media up to the rate (at least a quarter of it), {@link ProbeController#clusterBytes}
     * over {@link ProbeController#clusterMs}, at least {@link ProbeController#MIN_COPIES} of them.
     */
    private static void probeWithCopies(LinkSimulation sim, long rateBps) {
        long ms = ProbeController.clusterMs(ProbeController.clusterBytes(rateBps), rateBps);
        long extra = Math.max(rateBps - sim.sendBps, rateBps / 4);
        int packets = (int) Math.max(ProbeController.MIN_COPIES, (extra * ms / 8_000 + COPY - 1) / COPY);
        sim.probe(1, extra, packets, COPY);
    }
}
