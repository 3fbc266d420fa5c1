package dev.parley.server.sfu;

import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The media plane's totals for {@code /metrics}: the counters of the live streams summed at
 * read time, plus those of the streams that have closed. Nothing here runs per packet.
 *
 * <p>A stream is removed from the live set before its counters are retired, so a read that
 * races with a close may briefly miss that stream, never count it twice; readers that need a
 * monotonic value keep the largest they have seen. Packets a closing up stream receives after
 * its retirement (a few, between close and the transport's end) are not counted.
 */
public final class MediaTotals {
    /** What a total counts; see {@link StreamCounters}. */
    public enum Counter {
        PACKETS(StreamCounters.PACKETS), BYTES(StreamCounters.BYTES), NACKS(StreamCounters.NACKS),
        RETRANSMISSIONS(StreamCounters.RETRANSMISSIONS), PLIS(StreamCounters.PLIS),
        LAYER_SWITCHES(StreamCounters.LAYER_SWITCHES), RESENDS_REFUSED(StreamCounters.RESENDS_REFUSED);

        final int index;

        Counter(int index) {
            this.index = index;
        }
    }

    private final Set<UpStream> ups;
    private final Set<DownStream> downs;
    private final LongAdder[] retiredUp = adders();
    private final LongAdder[] retiredDown = adders();

    MediaTotals(Set<UpStream> ups, Set<DownStream> downs) {
        this.ups = ups;
        this.downs = downs;
    }

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[StreamCounters.SIZE];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    void retire(StreamCounters c, boolean up) {
        LongAdder[] into = up ? retiredUp : retiredDown;
        for (int i = 0; i < into.length; i++) {
            into[i].add(c.get(i));
        }
    }

    /** From presenters: packets and bytes received, NACKed sequence numbers and PLIs sent to them. */
    public long fromPresenters(Counter c) {
        long n = retiredUp[c.index].sum();
        for (UpStream u : ups) {
            n += u.counters().get(c.index);
        }
        return n;
    }

    /** To receivers: packets and bytes forwarded, NACKed sequence numbers, resent packets, PLIs from them. */
    public long toReceivers(Counter c) {
        long n = retiredDown[c.index].sum();
        for (DownStream d : downs) {
            n += d.counters().get(c.index);
        }
        return n;
    }

    public int presenterStreams() {
        return ups.size();
    }

    public int receiverStreams() {
        return downs.size();
    }

    /**
     * The live receivers' send-side bandwidth estimates in bit/s (issue #14), -1 for those whose
     * transport feedback has not given one (or who do not send it); any thread, no loop hop.
     */
    public long[] sendSideEstimates() {
        return downs.stream().mapToLong(DownStream::sendSideEstimate).toArray();
    }

    /** The REMB last sent to each live presenter (bit/s, MD9), -1 before one; any thread, no loop hop. */
    public long[] presenterRembs() {
        return ups.stream().mapToLong(UpStream::lastRemb).toArray();
    }

    /** Each live presenter's {@code .stats} (per track: rate, REMB share), read on its loop; for tests and diagnosis. */
    public java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> presenterStatistics() {
        return ups.stream().map(UpStream::statistics).toList();
    }

    /** Over the live receivers: probe clusters sent, and probe results that raised an estimate. */
    public long[] probeCounts() {
        long[] sum = new long[2];
        for (DownStream d : downs) {
            long[] c = d.probeCounts();
            sum[0] += c[0];
            sum[1] += c[1];
        }
        return sum;
    }

    /** What a walk over the live tracks reports; called on the scraping thread. */
    public interface TrackSink {
        /** A forwarded track: the receiver's bandwidth estimate (bit/s) and its last reported loss (0..1). */
        void receiver(long estimateBps, double loss);

        /**
         * A presenter's track: the loss we last reported to it (0..1), and the smoothed NACK
         * round trip in milliseconds, or -1 before one was measured.
         */
        void presenter(double loss, long rttMs);
    }

    /**
     * Reads every live track on the media loop that owns it (one hop per stream, as for
     * {@code .stats}) and reports it to {@code sink}. A stream whose loop does not answer is skipped.
     */
    public void sampleTracks(TrackSink sink) {
        for (UpStream u : ups) {
            long[] v = readOnLoop(u.transport(), u::trackSamples);
            for (int i = 0; i + 1 < v.length; i += 2) {
                sink.presenter(v[i] / 256.0, v[i + 1]);
            }
        }
        for (DownStream d : downs) {
            long[] v = readOnLoop(d.transport(), d::trackSamples);
            for (int i = 0; i + 1 < v.length; i += 2) {
                sink.receiver(v[i], v[i + 1] / 256.0);
            }
        }
    }

    private static long[] readOnLoop(MediaTransport transport, Supplier<long[]> read) {
        if (transport == null) {
            return new long[0];
        }
        try {
            return MediaLoopCall.call(transport, read);
        } catch (IllegalStateException e) {
            return new long[0];           // closed meanwhile, or the loop is stuck: this scrape goes without it
        }
    }
}
