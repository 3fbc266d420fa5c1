package dev.parley.bench.load;

import dev.parley.bench.media.BenchStamp;
import dev.parley.bench.metrics.FrameTracker;
import dev.parley.bench.metrics.SequenceTracker;
import dev.parley.bench.peer.ClientPeer;
import dev.parley.rtc.codec.KeyframeDetector;
import dev.parley.rtc.codec.VideoCodec;
import dev.parley.rtc.rtcp.RtcpWriter;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.sdp.MediaSection;
import dev.parley.rtc.sdp.RtpCodec;
import dev.parley.rtc.sdp.SessionDescription;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One received down stream, answering the server as a browser would: a receiver report every
 * second, a NACK for each gap, and a PLI when a gap in the video is still not repaired after
 * {@value #PLI_AFTER_MILLIS} ms (the decoder would lack a reference frame). Counts loss per SSRC
 * and complete video frames, and records one-way latency from the publishers' stamps (only when
 * its link is not impaired: an emulated delay is not the server's). Runs on the reactor thread.
 */
public final class Subscription implements ClientPeer.MediaListener, AutoCloseable {
    static final long PLI_AFTER_MILLIS = 250;
    /** -Dbench.traceSlowMicros=N prints every packet slower than N µs (diagnosing latency tails). */
    private static final long TRACE_SLOW_MICROS = Long.getLong("bench.traceSlowMicros", Long.MAX_VALUE);
    private static final long NANOS_PER_MS = 1_000_000L;

    private final String streamId;
    private final ClientPeer peer;
    private final ReceiveStats stats;
    private final ReceiverGroup group;
    private final long localSsrc = ThreadLocalRandom.current().nextLong(1, 0xFFFFFFFFL);
    private volatile int[] videoPayloadTypes = new int[0];
    private volatile Track[] tracks = new Track[0];
    private final RtpPacket view = new RtpPacket();
    private final KeyframeDetector keyframes = new KeyframeDetector();
    private final byte[] rtcp = new byte[1500];
    private final int[] nackSeqs = new int[64];
    private long lastReportNanos, lastConsentNanos;
    /** Feedback this receiver decided to send (whether or not the transport could send it). */
    int nacksWanted, plisWanted;

    /** Per-SSRC state; only the reactor thread writes it. */
    static final class Track {
        final long ssrc;
        final boolean video;
        final SequenceTracker seq = new SequenceTracker();
        final FrameTracker frames = new FrameTracker();
        long gapStart = -1, gapEnd;
        long gapNanos;
        long lastPliNanos = -1;
        boolean keyframeSeen;
        long lastExpected, lastReceived;
        int cumulativeLost;

        Track(long ssrc, boolean video) {
            this.ssrc = ssrc;
            this.video = video;
        }
    }

    public Subscription(String streamId, ClientPeer peer, ReceiveStats stats) {
        this(streamId, peer, stats, new ReceiverGroup(0, null));
    }

    public Subscription(String streamId, ClientPeer peer, ReceiveStats stats, ReceiverGroup group) {
        this.streamId = streamId;
        this.peer = peer;
        this.stats = stats;
        this.group = group;
        peer.setListener(this);
    }

    ReceiverGroup group() {
        return group;
    }

    public String streamId() {
        return streamId;
    }

    public ClientPeer peer() {
        return peer;
    }

    /** Learns which payload types are video from the server's (re-)offer. */
    public void describe(SessionDescription offer) {
        int[] pts = offer.media().stream().filter(MediaSection::isVideo).flatMap(m -> m.codecs().stream())
                .mapToInt(RtpCodec::payloadType).toArray();
        videoPayloadTypes = pts;
    }

    /** Sums of expected and received packets over this stream's tracks (for loss over a window). */
    public long expected() {
        long n = 0;
        for (Track t : tracks) {
            n += t.seq.expected();
        }
        return n;
    }

    public long received() {
        long n = 0;
        for (Track t : tracks) {
            n += t.seq.received();
        }
        return n;
    }

    /** Sequence numbers found missing when a later packet arrived, over this stream's tracks. */
    public long missedOnArrival() {
        long n = 0;
        for (Track t : tracks) {
            n += t.seq.missedOnArrival();
        }
        return n;
    }

    /** Freeze proxy over this stream's video at {@code now}: {frames shown, freezes, nanoseconds frozen}. */
    long[] frameCounts(long now) {
        long[] c = new long[3];
        for (Track t : tracks) {
            if (t.video) {
                c[0] += t.frames.framesShown();
                c[1] += t.frames.freezes(now);
                c[2] += t.frames.frozenNanos(now);
            }
        }
        return c;
    }

    private Track track(long ssrc, int payloadType) {
        Track[] ts = tracks;
        for (Track t : ts) {
            if (t.ssrc == ssrc) {
                return t;
            }
        }
        boolean video = false;
        for (int pt : videoPayloadTypes) {
            video |= pt == payloadType;
        }
        Track t = new Track(ssrc, video);
        Track[] next = Arrays.copyOf(ts, ts.length + 1);
        next[ts.length] = t;
        tracks = next;
        return t;
    }

    @Override
    public void onRtp(byte[] buf, int off, int len, long now) {
        if (!view.wrap(buf, off, len)) {
            return;
        }
        int payloadEnd = view.payloadOffset() + view.payloadLength();
        if (!group.impaired() && BenchStamp.present(buf, view.payloadOffset(), payloadEnd)) {
            long micros = (now - BenchStamp.sendNanos(buf, payloadEnd)) / 1000;
            stats.latency.record(micros);
            if (micros > TRACE_SLOW_MICROS) {
                System.out.printf("slow packet: %d us, ssrc %08x seq %d at %d ms%n", micros, view.ssrc(),
                        view.sequenceNumber(), now / 1_000_000);
            }
        }
        stats.packets.incrementAndGet();
        stats.bytes.addAndGet(len);
        Track t = track(view.ssrc(), view.payloadType());
        SequenceTracker.Arrival a = t.seq.onPacket(view.sequenceNumber());
        if (t.video && a != SequenceTracker.Arrival.DUPLICATE && a != SequenceTracker.Arrival.TOO_OLD) {
            t.frames.onPacket(t.seq.lastExtended(), view.timestamp(), startsFrame(buf, view.payloadOffset(),
                    view.payloadLength()), view.marker(), now);
        }
        if (t.video && keyframes.isKeyframe(VideoCodec.VP8, buf, view.payloadOffset(), view.payloadLength())) {
            t.keyframeSeen = true;
            t.gapStart = -1;                       // a keyframe makes earlier holes irrelevant
            stats.keyframes.incrementAndGet();
        }
        if (a == SequenceTracker.Arrival.GAP) {
            nack(t);
            if (t.gapStart < 0) {
                t.gapStart = t.seq.lastGapStart();
                t.gapEnd = t.seq.lastGapEnd();
                t.gapNanos = now;
            }
        }
        if (t.video) {
            checkDecodable(t, now);
        }
        periodic(now);
    }

    /** VP8 payload descriptor (RFC 7741 §4.2): S bit set and partition index 0. */
    private static boolean startsFrame(byte[] b, int off, int len) {
        return len > 0 && (b[off] & 0x1F) == 0x10;
    }

    private void nack(Track t) {
        int n = 0;
        for (long s = t.seq.lastGapStart(); s < t.seq.lastGapEnd() && n < nackSeqs.length; s++) {
            nackSeqs[n++] = (int) (s & 0xFFFF);
        }
        nacksWanted++;
        int len = RtcpWriter.nack(rtcp, 0, localSsrc, t.ssrc, nackSeqs, n);
        if (len > 0 && peer.sendRtcp(rtcp, 0, len)) {
            stats.nacksSent.incrementAndGet();
            group.nacks.incrementAndGet();
        }
    }

    /** PLI if we never had a keyframe, or a hole stayed unrepaired too long; at most one a second. */
    private void checkDecodable(Track t, long now) {
        boolean broken = !t.keyframeSeen;
        if (t.gapStart >= 0 && now - t.gapNanos > PLI_AFTER_MILLIS * NANOS_PER_MS) {
            boolean stillMissing = false;
            for (long s = t.gapStart; s < t.gapEnd && !stillMissing; s++) {
                stillMissing = t.seq.isMissing(s);
            }
            if (stillMissing) {
                broken = true;
            } else {
                t.gapStart = -1;
            }
        }
        if (broken && (t.lastPliNanos < 0 || now - t.lastPliNanos > 1000 * NANOS_PER_MS)) {
            t.lastPliNanos = now;
            plisWanted++;
            int len = RtcpWriter.pli(rtcp, 0, localSsrc, t.ssrc);
            if (peer.sendRtcp(rtcp, 0, len)) {
                stats.plisSent.incrementAndGet();
                group.plis.incrementAndGet();
            }
            t.gapStart = -1;
        }
    }

    /** RR with a block per SSRC every second (RFC 3550 §6.4.2); a consent check every 5 s. */
    private void periodic(long now) {
        if (now - lastReportNanos >= 1000 * NANOS_PER_MS) {
            lastReportNanos = now;
            int n = RtcpWriter.receiverReport(rtcp, 0, localSsrc);
            for (Track t : tracks) {
                long expected = t.seq.expected();
                long received = t.seq.received();
                long de = expected - t.lastExpected;
                long dr = received - t.lastReceived;
                int fraction = de <= 0 || dr >= de ? 0 : (int) (((de - dr) << 8) / de);
                t.lastExpected = expected;
                t.lastReceived = received;
                t.cumulativeLost = (int) Math.max(0, expected - received);
                int len = RtcpWriter.addReportBlock(rtcp, 0, t.ssrc, fraction, t.cumulativeLost,
                        t.seq.highest() & 0xFFFFFFFFL, 0, 0, 0);
                if (len > 0) {
                    n = len;
                }
            }
            peer.sendRtcp(rtcp, 0, n);
        }
        if (now - lastConsentNanos >= 5000 * NANOS_PER_MS) {
            lastConsentNanos = now;
            try {
                peer.sendCheck();
            } catch (java.io.IOException e) {
                // the next one may work
            }
        }
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len, long arrivalNanos) {
        // sender reports from the server: not needed for loss and latency accounting
    }

    @Override
    public void close() {
        peer.close();
    }
}
