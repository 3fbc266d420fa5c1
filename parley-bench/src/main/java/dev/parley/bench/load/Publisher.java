package dev.parley.bench.load;

import dev.parley.bench.media.OpusSource;
import dev.parley.bench.media.Vp8Source;
import dev.parley.bench.peer.ClientPeer;
import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import dev.parley.rtc.rtcp.RtcpWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A synthetic camera + microphone on one peer connection: paced VP8 frames (optionally two
 * simulcast layers) and 20 ms Opus packets, sender reports every second, and the answers a
 * browser gives to the server's feedback: retransmission on NACK, a keyframe on PLI/FIR.
 */
public final class Publisher implements ClientPeer.MediaListener, AutoCloseable {
    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;
    public static final int MID_EXT = 4;
    public static final int RID_EXT = 10;

    private final ClientPeer peer;
    private final Vp8Source[] video;
    private final SentHistory[] videoHistory;
    private final OpusSource audio;
    private final SentHistory audioHistory = new SentHistory();
    private final byte[] cname;
    private final byte[] videoBuf = new byte[1600];
    private final byte[] audioBuf = new byte[1600];
    private final byte[] rtcpBuf = new byte[1500];
    private final byte[] resendBuf = new byte[1600];
    private final long[] videoPackets, videoOctets;
    private long audioPackets, audioOctets;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final AtomicLong nacksReceived = new AtomicLong();
    private final AtomicLong keyframeRequests = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Feedback feedback = new Feedback();
    private long lastSrNanos, lastConsentNanos;

    /**
     * @param layers video encodings: one entry per simulcast layer (bitrate); empty for audio only
     */
    public Publisher(ClientPeer peer, String cname, boolean audioOn, int[] layers, int fps, double keyframeSeconds) {
        this.peer = peer;
        this.cname = cname.getBytes(StandardCharsets.UTF_8);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        this.audio = audioOn ? new OpusSource(OPUS_PT, r.nextLong(1, 0xFFFFFFFFL), 80, r.nextInt(0x10000)) : null;
        this.video = new Vp8Source[layers.length];
        this.videoHistory = new SentHistory[layers.length];
        this.videoPackets = new long[layers.length];
        this.videoOctets = new long[layers.length];
        boolean simulcast = layers.length > 1;
        for (int i = 0; i < layers.length; i++) {
            String rid = simulcast ? (i == 0 ? "h" : "l") : null;
            video[i] = new Vp8Source(VP8_PT, r.nextLong(1, 0xFFFFFFFFL), layers[i], fps, keyframeSeconds,
                    MID_EXT, simulcast ? PublisherSdp.VIDEO_MID : null, RID_EXT, rid, r.nextInt(0x10000));
            videoHistory[i] = new SentHistory();
        }
        peer.setListener(this);
    }

    public long audioSsrc() {
        return audio == null ? 0 : audio.ssrc();
    }

    public long[] videoSsrcs() {
        long[] s = new long[video.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = video[i].ssrc();
        }
        return s;
    }

    public boolean hasAudio() {
        return audio != null;
    }

    public int videoLayers() {
        return video.length;
    }

    public ClientPeer peer() {
        return peer;
    }

    /** Starts pacing on {@code clock}: video every 1/fps s, audio every 20 ms, RTCP every second. */
    public void start(ScheduledExecutorService clock, int fps) {
        long offset = ThreadLocalRandom.current().nextLong(20_000);
        if (audio != null) {
            tasks.add(clock.scheduleAtFixedRate(this::sendAudio, offset, 20_000, TimeUnit.MICROSECONDS));
        }
        if (video.length > 0) {
            tasks.add(clock.scheduleAtFixedRate(this::sendVideo, offset, 1_000_000 / fps, TimeUnit.MICROSECONDS));
        }
    }

    private void sendAudio() {
        long now = System.nanoTime();
        int n = audio.next(audioBuf, now);
        audioHistory.store(audio.lastSeq(), audioBuf, n);
        if (peer.sendRtp(audioBuf, 0, n)) {
            sent.incrementAndGet();
        }
        audioPackets++;
        audioOctets += n - 12;
        periodic(now);
    }

    private void sendVideo() {
        long now = System.nanoTime();
        for (int i = 0; i < video.length; i++) {
            final int layer = i;
            video[i].nextFrame(videoBuf, now, (buf, len, seq, key, start) -> {
                videoHistory[layer].store(seq, buf, len);
                if (peer.sendRtp(buf, 0, len)) {
                    sent.incrementAndGet();
                }
                videoPackets[layer]++;
                videoOctets[layer] += len;
            });
        }
        if (audio == null) {
            periodic(now);
        }
    }

    /** Sender reports with CNAME every second; a consent check every 5 s (RFC 7675). */
    private void periodic(long now) {
        if (now - lastSrNanos >= 1_000_000_000L) {
            lastSrNanos = now;
            long ntp = ntpNow();
            int n = 0;
            if (audio != null) {
                n = RtcpWriter.senderReport(rtcpBuf, 0, audio.ssrc(), ntp, audio.timestamp(), audioPackets, audioOctets);
                n += RtcpWriter.sdesCname(rtcpBuf, n, audio.ssrc(), cname);
                peer.sendRtcp(rtcpBuf, 0, n);
            }
            for (int i = 0; i < video.length; i++) {
                n = RtcpWriter.senderReport(rtcpBuf, 0, video[i].ssrc(), ntp, video[i].timestamp(), videoPackets[i],
                        videoOctets[i]);
                n += RtcpWriter.sdesCname(rtcpBuf, n, video[i].ssrc(), cname);
                peer.sendRtcp(rtcpBuf, 0, n);
            }
        }
        if (now - lastConsentNanos >= 5_000_000_000L) {
            lastConsentNanos = now;
            try {
                peer.sendCheck();
            } catch (java.io.IOException e) {
                // the next one may work
            }
        }
    }

    static long ntpNow() {
        long ms = System.currentTimeMillis();
        long seconds = ms / 1000 + 2208988800L;
        return seconds << 32 | (((ms % 1000) << 32) / 1000);
    }

    public long packetsSent() {
        return sent.get();
    }

    public long nacksReceived() {
        return nacksReceived.get();
    }

    public long keyframeRequests() {
        return keyframeRequests.get();
    }

    @Override
    public void onRtp(byte[] buf, int off, int len, long arrivalNanos) {
        // a publisher receives nothing
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len, long arrivalNanos) {
        RtcpReader.read(buf, off, len, feedback);
    }

    private final class Feedback implements RtcpHandler {
        @Override
        public void onNack(long senderSsrc, long mediaSsrc, int pid, int blp) {
            nacksReceived.incrementAndGet();
            resend(mediaSsrc, pid);
            for (int b = 0; b < 16; b++) {
                if ((blp & (1 << b)) != 0) {
                    resend(mediaSsrc, (pid + b + 1) & 0xFFFF);
                }
            }
        }

        @Override
        public void onPli(long senderSsrc, long mediaSsrc) {
            keyframe(mediaSsrc);
        }

        @Override
        public void onFir(long senderSsrc, long targetSsrc, int sequenceNumber) {
            keyframe(targetSsrc);
        }
    }

    private void keyframe(long ssrc) {
        for (Vp8Source v : video) {
            if (v.ssrc() == ssrc) {
                keyframeRequests.incrementAndGet();
                v.requestKeyframe();
            }
        }
    }

    private void resend(long ssrc, int seq) {
        SentHistory h = null;
        if (audio != null && audio.ssrc() == ssrc) {
            h = audioHistory;
        }
        for (int i = 0; i < video.length; i++) {
            if (video[i].ssrc() == ssrc) {
                h = videoHistory[i];
            }
        }
        if (h == null) {
            return;
        }
        int n = h.get(seq, resendBuf);
        if (n > 0) {
            peer.sendRtp(resendBuf, 0, n);
        }
    }

    @Override
    public void close() {
        tasks.forEach(t -> t.cancel(false));
        peer.close();
    }
}
