package dev.parley.bench.load;

import dev.parley.bench.media.BenchStamp;
import dev.parley.bench.media.OpusSource;
import dev.parley.bench.media.PacketQueue;
import dev.parley.bench.media.Pacing;
import dev.parley.bench.media.PacingBudget;
import dev.parley.bench.media.Vp8Source;
import dev.parley.bench.peer.ClientPeer;
import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import dev.parley.rtc.rtcp.RtcpWriter;
import dev.parley.rtc.rtp.TransportSequence;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A synthetic camera + microphone on one peer connection: VP8 frames at a fixed rate (optionally
 * two simulcast layers) and 20 ms Opus packets, sender reports every second, and the answers a
 * browser gives to the server's feedback: retransmission on NACK, a keyframe on PLI/FIR.
 *
 * <p>Video leaves either through a libwebrtc-like pacer ({@link Pacing}: frames are produced and
 * their packets queued and sent by the context's {@link PacedSenders} thread) or, with
 * {@link Pacing#BURST}, each frame's packets back to back from the media clock. Audio, NACK
 * answers and RTCP are never paced (libwebrtc does not pace audio by default either).
 */
public final class Publisher implements ClientPeer.MediaListener, AutoCloseable, PacedSenders.Paced {
    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;
    public static final int MID_EXT = 4;
    public static final int RID_EXT = 10;
    /** The transport-wide sequence number's extension id in our offers (with --transport-cc). */
    public static final int TRANSPORT_CC_EXT = 3;
    /** Pacer queue slots: several keyframes at the bench's bitrates. */
    private static final int QUEUE_PACKETS = 256;

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
    private final AtomicLong transportFeedbacks = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger transportSeq = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int transportCcId = -1;
    private final Feedback feedback = new Feedback();
    private long lastSrNanos, lastConsentNanos;
    private final Vp8Source.PacketSink[] sendNow;
    private final Pacing pacing;
    private final int videoBitrate;
    private final Vp8Source.PacketSink[] enqueue;
    private final PacketQueue queue;
    private PacingBudget budget;
    private volatile PacedSenders pacer;          // set by start, read by close (another thread)
    private long framePeriodNanos, nextFrameNanos;

    /**
     * @param layers video encodings: one entry per simulcast layer (bitrate); empty for audio only
     */
    public Publisher(ClientPeer peer, String cname, boolean audioOn, int[] layers, int fps, double keyframeSeconds) {
        this(peer, cname, audioOn, layers, fps, keyframeSeconds, Pacing.LIBWEBRTC);
    }

    /**
     * @param layers video encodings: one entry per simulcast layer (bitrate); empty for audio only
     * @param pacing how video packets leave: paced like libwebrtc, or each frame back to back
     */
    public Publisher(ClientPeer peer, String cname, boolean audioOn, int[] layers, int fps, double keyframeSeconds,
            Pacing pacing) {
        this.peer = peer;
        this.pacing = pacing;
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
        int total = 0;
        for (int b : layers) {
            total += b;
        }
        this.videoBitrate = total;
        // one sink per layer, made once: a lambda capturing the layer would be a new object per frame
        this.sendNow = new Vp8Source.PacketSink[layers.length];
        this.enqueue = new Vp8Source.PacketSink[layers.length];
        for (int i = 0; i < layers.length; i++) {
            final int layer = i;
            sendNow[i] = (buf, len, seq, key, start) -> sendVideoPacket(layer, buf, len, seq);
            enqueue[i] = (buf, len, seq, key, start) -> enqueueVideoPacket(layer, buf, len);
        }
        this.queue = pacing.paced() && layers.length > 0 ? new PacketQueue(QUEUE_PACKETS, videoBuf.length) : null;
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

    /**
     * Starts sending: audio every 20 ms on {@code clock}; video every 1/fps s, on {@code clock}
     * when frames go out back to back, else on the paced-senders thread; RTCP every second.
     */
    void start(ScheduledExecutorService clock, PacedSenders paced, int fps) {
        long offset = ThreadLocalRandom.current().nextLong(20_000);
        if (audio != null) {
            tasks.add(clock.scheduleAtFixedRate(this::sendAudio, offset, 20_000, TimeUnit.MICROSECONDS));
        }
        if (video.length > 0 && queue == null) {
            tasks.add(clock.scheduleAtFixedRate(this::sendVideo, offset, 1_000_000 / fps, TimeUnit.MICROSECONDS));
        } else if (video.length > 0) {
            long now = System.nanoTime();
            framePeriodNanos = 1_000_000_000L / fps;
            nextFrameNanos = now + offset * 1000;
            budget = new PacingBudget(pacing.factor() * videoBitrate, pacing.burstMillis(), now);
            pacer = paced;
            paced.add(this);
        }
    }

    /**
     * Numbers every RTP packet sent from now on with transport-wide sequence numbers (extension
     * {@code id}), as libwebrtc does once the answer kept transport-cc: audio, video and
     * retransmissions, in sending order. Before {@link #start}.
     */
    void numberWith(int id) {
        transportCcId = id;
    }

    /** The packet at {@code buf[0, len)} with the next transport-wide number, or as it is when not numbering; its length. */
    private int numbered(byte[] buf, int len) {
        int id = transportCcId;
        if (id <= 0) {
            return len;
        }
        int n = TransportSequence.stamp(buf, 0, len, id, transportSeq.getAndIncrement() & 0xFFFF);
        return n > 0 ? n : len;
    }

    private void sendAudio() {
        long now = System.nanoTime();
        int n = audio.next(audioBuf, now);
        audioHistory.store(audio.lastSeq(), audioBuf, n);
        if (peer.sendRtp(audioBuf, 0, numbered(audioBuf, n))) {
            sent.incrementAndGet();
        }
        audioPackets++;
        audioOctets += n - 12;
        periodic(now);
    }

    /** Back-to-back mode: the whole frame of every layer now. */
    private void sendVideo() {
        long now = System.nanoTime();
        for (int i = 0; i < video.length; i++) {
            video[i].nextFrame(videoBuf, now, sendNow[i]);
        }
        if (audio == null) {
            periodic(now);
        }
    }

    private void sendVideoPacket(int layer, byte[] buf, int len, int seq) {
        videoHistory[layer].store(seq, buf, len);
        if (peer.sendRtp(buf, 0, numbered(buf, len))) {
            sent.incrementAndGet();
        }
        videoPackets[layer]++;
        videoOctets[layer] += len;
    }

    /**
     * Paced mode, on the paced-senders thread only: makes the frames that are due, then sends
     * queued packets while the pacer allows. Each packet's latency stamp is rewritten when it
     * leaves, so the subscribers measure from the publisher's socket, as for a real client
     * whose pacer delay is its own.
     */
    @Override
    public long pace(long now) {
        while (now - nextFrameNanos >= 0) {
            for (int i = 0; i < video.length; i++) {
                video[i].nextFrame(videoBuf, now, enqueue[i]);
            }
            nextFrameNanos += framePeriodNanos;
            if (audio == null) {
                periodic(now);
            }
        }
        while (!queue.isEmpty() && budget.maySend(now)) {
            sendHead(now);
        }
        return queue.isEmpty() ? nextFrameNanos : Math.min(nextFrameNanos, budget.nextSendNanos());
    }

    private void enqueueVideoPacket(int layer, byte[] buf, int len) {
        if (queue.isFull()) {
            // libwebrtc raises its rate rather than let the queue pass 2 s; never reached at the
            // bench's bitrates (a 1 Mbit/s keyframe is 16 packets)
            sendHead(System.nanoTime());
        }
        queue.offer(buf, len, layer);
    }

    private void sendHead(long now) {
        byte[] b = queue.headBuffer();
        int len = queue.headLength();
        BenchStamp.write(b, len, now);
        budget.sent(len);
        sendVideoPacket(queue.headTag(), b, len, ((b[2] & 0xFF) << 8) | (b[3] & 0xFF));
        queue.pop();
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

    /** Transport feedback packets (RTPFB FMT 15) received from the server. */
    public long transportFeedbacks() {
        return transportFeedbacks.get();
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
        public void onTransportFeedback(long senderSsrc, long mediaSsrc, byte[] buf, int off, int len) {
            transportFeedbacks.incrementAndGet();           // counted only: the pacer's rate stays fixed
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
            peer.sendRtp(resendBuf, 0, numbered(resendBuf, n));      // a new number, as libwebrtc gives a retransmission
        }
    }

    @Override
    public void close() {
        tasks.forEach(t -> t.cancel(false));
        if (pacer != null) {
            pacer.remove(this);
        }
        peer.close();
    }
}
