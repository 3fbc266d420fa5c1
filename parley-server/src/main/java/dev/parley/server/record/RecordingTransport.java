package dev.parley.server.record;

import dev.parley.rtc.rtcp.RtcpWriter;
import dev.parley.rtc.sdp.Fingerprint;
import dev.parley.server.sfu.DownStream;
import dev.parley.server.sfu.LocalEndpoint;
import dev.parley.server.sfu.MediaTransport;

/**
 * The "transport" of a recorder's down stream: forwarded packets go to a {@link StreamRecording}
 * instead of the network, on the media loop of the presenter's transport. There is no ICE or
 * DTLS; keyframe requests are handed to the down stream as if a receiver had sent a PLI.
 *
 * <p>A file loses nothing, so once a second the recording also reports itself to the down
 * stream as a lossless receiver. Without reports the SFU would hold the recorder at its
 * initial rate estimate, and the REMB sent to the presenter would cap everyone at it (MD8).
 */
final class RecordingTransport implements MediaTransport {
    private final MediaTransport presenterLoop;
    private final StreamRecording recording;
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;
    private static final int MAX_SSRCS = 4;

    private final byte[] pli = new byte[16];
    private final byte[] report = new byte[8 + 24 * MAX_SSRCS];
    private final long[] ssrcs = new long[MAX_SSRCS];
    private final int[] highestSeq = new int[MAX_SSRCS];
    private int ssrcCount;
    private int packets;
    private long lastReportNanos;
    private DownStream down;

    RecordingTransport(MediaTransport presenterLoop, StreamRecording recording) {
        this.presenterLoop = presenterLoop;
        this.recording = recording;
        recording.onKeyframeNeeded(this::requestKeyframe);
    }

    void attachTo(DownStream d) {
        down = d;
        d.setTransport(this);
    }

    /** Media loop: a PLI for our SSRC {@code ssrc}, answered by the SFU as any receiver's (MD11). */
    private void requestKeyframe(long ssrc) {
        DownStream d = down;
        if (d == null || ssrc == 0) {
            return;
        }
        int n = RtcpWriter.pli(pli, 0, 1, ssrc);
        if (n > 0) {
            d.onRtcp(pli, 0, n);
        }
    }

    @Override
    public LocalEndpoint local() {
        throw new UnsupportedOperationException("a recording has no network endpoint");
    }

    @Override
    public void setRemoteFingerprint(Fingerprint fingerprint) {
    }

    @Override
    public void setRemoteUfrag(String ufrag) {
    }

    @Override
    public LocalEndpoint restartIce() {
        throw new UnsupportedOperationException("a recording has no network endpoint");
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void sendRtp(byte[] buf, int off, int len) {
        recording.rtp(buf, off, len);
        if (len >= 12) {
            noteSequence(buf, off);
            if ((++packets & 15) == 0) {                 // the clock is read every 16 packets only
                long now = System.nanoTime();
                if (now - lastReportNanos >= REPORT_INTERVAL_NANOS) {
                    lastReportNanos = now;
                    reportLossless();
                }
            }
        }
    }

    private void noteSequence(byte[] buf, int off) {
        long ssrc = (buf[off + 8] & 0xFFL) << 24 | (buf[off + 9] & 0xFF) << 16 | (buf[off + 10] & 0xFF) << 8
                | (buf[off + 11] & 0xFF);
        int seq = (buf[off + 2] & 0xFF) << 8 | (buf[off + 3] & 0xFF);
        for (int i = 0; i < ssrcCount; i++) {
            if (ssrcs[i] == ssrc) {
                highestSeq[i] = seq;
                return;
            }
        }
        if (ssrcCount < MAX_SSRCS) {
            ssrcs[ssrcCount] = ssrc;
            highestSeq[ssrcCount++] = seq;
        }
    }

    /** Media loop: an RR with a lossless block per forwarded SSRC, as a receiver would send. */
    private void reportLossless() {
        DownStream d = down;
        if (d == null || ssrcCount == 0) {
            return;
        }
        int n = RtcpWriter.receiverReport(report, 0, 1);
        for (int i = 0; i < ssrcCount; i++) {
            int len = RtcpWriter.addReportBlock(report, 0, ssrcs[i], 0, 0, highestSeq[i], 0, 0, 0);
            if (len > 0) {
                n = len;
            }
        }
        d.onRtcp(report, 0, n);
    }

    @Override
    public void sendRtcp(byte[] buf, int off, int len) {
        // sender reports to a file are meaningless
    }

    @Override
    public void execute(Runnable task) {
        presenterLoop.execute(task);
    }

    @Override
    public void close() {
        recording.close();
    }
}
