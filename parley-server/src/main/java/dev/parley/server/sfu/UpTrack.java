package dev.parley.server.sfu;

import dev.parley.rtc.codec.KeyframeDetector;
import dev.parley.rtc.codec.VideoCodec;
import dev.parley.rtc.rtcp.RtcpWriter;
import dev.parley.rtc.rtp.RtpPacket;

import java.util.Arrays;

/**
 * One track of a presenter (MD6: each simulcast rid is its own track): it receives the
 * decrypted packets of one SSRC, keeps them in its cache, and forwards each one to its
 * down tracks. Everything here runs on the media loop of the presenter's transport.
 */
public final class UpTrack {
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 500_000_000L;   // MD11
    private static final int REPLAY_WINDOW = 40;                                // MD12

    private final UpStream stream;
    private final UpSection section;
    private final String rid;
    private final long ssrc;
    private final VideoCodec videoCodec;
    private final PacketCache cache;
    private final KeyframeDetector keyframes = new KeyframeDetector();
    private final RtpPacket view = new RtpPacket();
    private final ReceptionStats stats;
    private DownTrack[] downTracks = new DownTrack[0];
    private final NackGenerator nacks = new NackGenerator();
    private final int[] nackSeqs = new int[32];

    private boolean keyframeWanted;
    private long lastKeyframeRequest;
    private int lastKeyframeSeq = -1;
    private int latestSeq = -1;
    private final byte[] rtcp = new byte[256];

    /** Publisher's last sender report: NTP and RTP times and when it arrived, for SR to receivers. */
    private long srNtp, srRtp, srArrivalNanos;
    private boolean hasSr;

    UpTrack(UpStream stream, UpSection section, String rid, long ssrc) {
        this.stream = stream;
        this.section = section;
        this.rid = rid;
        this.ssrc = ssrc;
        this.videoCodec = section.kind().equals("video") ? VideoCodec.fromName(section.codec().encoding()) : null;
        this.cache = new PacketCache(videoCodec != null ? 512 : 64);
        this.stats = new ReceptionStats(section.codec().clockRate());
    }

    public String kind() {
        return section.kind();
    }

    public String rid() {
        return rid;
    }

    public long ssrc() {
        return ssrc;
    }

    public UpSection section() {
        return section;
    }

    public UpStream stream() {
        return stream;
    }

    /** The msid track id offered to receivers (S9): the presenter's, else the rid, else the kind. */
    public String trackId() {
        if (section.msid() != null && section.msid().trackId() != null && !section.msid().trackId().isEmpty()) {
            return rid == null ? section.msid().trackId() : section.msid().trackId() + "-" + rid;
        }
        return rid != null ? rid : section.kind();
    }

    /** A decrypted RTP packet of this track. */
    void receive(byte[] buf, int off, int len, long nowNanos) {
        if (!view.wrap(buf, off, len)) {
            return;
        }
        int seq = view.sequenceNumber();
        boolean keyframe = videoCodec != null
                && keyframes.isKeyframe(videoCodec, buf, view.payloadOffset(), view.payloadLength());
        stats.received(seq, view.timestamp(), nowNanos);
        if (section.nack()) {
            requestMissing(seq, nowNanos / 1_000_000);                                // MD13
        }
        cache.store(seq, view.timestamp(), keyframe, view.marker(), buf, off, len);
        if (latestSeq < 0 || ((seq - latestSeq) & 0xFFFF) < 0x8000) {
            latestSeq = seq;
        }
        if (keyframe) {
            lastKeyframeSeq = seq;
            keyframeWanted = false;
        }
        for (DownTrack d : downTracks) {
            d.forward(view, keyframe, nowNanos);
        }
    }

    /** The server NACKs gaps upstream on its own (MD13), before any receiver notices them. */
    private void requestMissing(int seq, long nowMs) {
        nacks.onPacket(seq, nowMs);
        int n = nacks.collect(nowMs, nackSeqs);
        if (n > 0) {
            int len = RtcpWriter.nack(rtcp, 0, stream.localSsrc(), ssrc, nackSeqs, n);
            if (len > 0) {
                stream.transport().sendRtcp(rtcp, 0, len);
            }
        }
    }

    /** Attaches a receiver (MD12): replays from a recent cached keyframe, else asks for one. */
    void attach(DownTrack d, long nowNanos) {
        DownTrack[] next = Arrays.copyOf(downTracks, downTracks.length + 1);
        next[downTracks.length] = d;
        downTracks = next;
        if (videoCodec == null) {
            return;
        }
        if (lastKeyframeSeq >= 0 && ((latestSeq - lastKeyframeSeq) & 0xFFFF) < REPLAY_WINDOW) {
            byte[] tmp = new byte[PacketCache.SLOT_SIZE];
            RtpPacket p = new RtpPacket();
            for (int s = lastKeyframeSeq; ; s = (s + 1) & 0xFFFF) {
                int n = cache.get(s, tmp, 0);
                if (n > 0 && p.wrap(tmp, 0, n)) {
                    d.forward(p, s == lastKeyframeSeq, nowNanos);
                }
                if (s == latestSeq) {
                    break;
                }
            }
        } else {
            requestKeyframe(nowNanos);
        }
    }

    void detach(DownTrack d) {
        int i = Arrays.asList(downTracks).indexOf(d);
        if (i < 0) {
            return;
        }
        DownTrack[] next = new DownTrack[downTracks.length - 1];
        System.arraycopy(downTracks, 0, next, 0, i);
        System.arraycopy(downTracks, i + 1, next, i, downTracks.length - i - 1);
        downTracks = next;
    }

    DownTrack[] downTracks() {
        return downTracks;
    }

    /** Asks the presenter for a keyframe with a PLI, at most every 500 ms (MD11). */
    void requestKeyframe(long nowNanos) {
        keyframeWanted = true;
        if (!section.pli() || nowNanos - lastKeyframeRequest < KEYFRAME_REQUEST_INTERVAL_NANOS && lastKeyframeRequest != 0) {
            return;
        }
        lastKeyframeRequest = nowNanos;
        int n = RtcpWriter.pli(rtcp, 0, stream.localSsrc(), ssrc);
        stream.transport().sendRtcp(rtcp, 0, n);
    }

    /** Copies a cached packet into {@code dst}; returns its length or -1 (NACK service, MD13). */
    int cached(int seq, byte[] dst) {
        return cache.get(seq, dst, 0);
    }

    /** NACKs a packet upstream when the presenter negotiated it (MD13). */
    void nackUpstream(int seq) {
        if (!section.nack()) {
            return;
        }
        int n = RtcpWriter.nack(rtcp, 0, stream.localSsrc(), ssrc, seq, 0);
        stream.transport().sendRtcp(rtcp, 0, n);
    }

    /** Periodic RTCP towards the presenter (MD9): keyframe retry, RR, REMB. */
    void tick(long nowNanos) {
        if (keyframeWanted && downTracks.length > 0) {
            requestKeyframe(nowNanos);
        }
    }

    /** Writes this track's report block into an RR being built at {@code packetOff}. */
    int addReportBlock(byte[] buf, int packetOff, long nowNanos) {
        return stats.addReportBlock(buf, packetOff, ssrc, nowNanos, hasSr ? (srNtp >>> 16) & 0xFFFFFFFFL : 0,
                hasSr ? srArrivalNanos : 0);
    }

    /** The bitrate to announce with REMB (MD9). */
    long rembBitrate() {
        if (section.kind().equals("audio") || "l".equals(rid)) {
            return 102400;
        }
        long min = -1;
        for (DownTrack d : downTracks) {
            long est = Math.max(204800, d.estimate());
            min = min < 0 ? est : Math.min(min, est);
        }
        return min < 0 ? 512000 : min;
    }

    void senderReport(long ntp, long rtp, long nowNanos) {
        srNtp = ntp;
        srRtp = rtp;
        srArrivalNanos = nowNanos;
        hasSr = true;
    }

    /** The presenter's RTP time now, extrapolated from its last SR; -1 without one (pitfall 6). */
    long rtpTimeNow(long nowNanos) {
        if (!hasSr) {
            return -1;
        }
        long elapsed = nowNanos - srArrivalNanos;
        return (srRtp + elapsed * section.codec().clockRate() / 1_000_000_000L) & 0xFFFFFFFFL;
    }

    long srNtp() {
        return srNtp;
    }

    long srArrivalNanos() {
        return srArrivalNanos;
    }
}
