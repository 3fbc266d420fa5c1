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
 * <p>A file has no bandwidth limit: the SFU leaves streams started without negotiation out of
 * the REMB it sends presenters, so recording never lowers anyone's quality (MD8, MD9).
 */
final class RecordingTransport implements MediaTransport {
    private final MediaTransport presenterLoop;
    private final StreamRecording recording;

    private final byte[] pli = new byte[16];
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
    public LocalEndpoint restartIce(String newRemoteUfrag) {
        throw new UnsupportedOperationException("a recording has no network endpoint");
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void sendRtp(byte[] buf, int off, int len) {
        recording.rtp(buf, off, len);
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
    public dev.parley.rtc.transport.MediaLoop loop() {
        return presenterLoop.loop();
    }

    @Override
    public void close() {
        recording.close();
    }
}
