package dev.parley.bench.micro;

import dev.parley.bench.load.PublisherSdp;
import dev.parley.bench.load.SubscriberSdp;
import dev.parley.bench.media.Vp8Source;
import dev.parley.rtc.dtls.Fingerprint;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.server.sfu.DownStream;
import dev.parley.server.sfu.SdpNegotiation;
import dev.parley.server.sfu.UpStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The server's whole per-packet forwarding work for one received (already decrypted) VP8 packet:
 * the real {@link UpStream#onRtp} → UpTrack (keyframe detection, reception stats, upstream NACK
 * generator, packet cache) → every DownTrack (header rewrite, rate meter) → the transport, here a
 * {@link NoopTransport} that either drops the packet or SRTP-protects it without a syscall. One
 * operation = one incoming packet fanned out to {@code receivers}; divide by it for "per forwarded
 * packet". Run with {@code -prof gc} for bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ForwardingBenchmark {
    @Param({"1", "10", "100"})
    public int receivers;

    /** none: no encryption on send; cm / gcm: the receiver's SRTP protect per forwarded packet. */
    @Param({"none", "cm", "gcm"})
    public String srtp;

    /**
     * on: every receiver's answer keeps the transport-wide-cc extension (as Chromium's does), so
     * each forwarded copy is numbered and recorded for the send-side estimate; off: REMB only.
     */
    @Param({"off", "on"})
    public String transportCc;

    private UpStream up;
    private final List<DownStream> downs = new ArrayList<>();
    private final byte[][] frames = new byte[300][];
    private final int[] lengths = new int[300];
    private int next;
    private long seqBase;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpProfile profile = switch (srtp) {
            case "cm" -> SrtpProfile.AES_CM_128_HMAC_SHA1_80;
            case "gcm" -> SrtpProfile.AEAD_AES_128_GCM;
            default -> null;
        };
        long ssrc = 0x1234_5678L;
        Fingerprint fp = Fingerprint.parse("sha-256 " + "AB:".repeat(31) + "AB");
        String offer = PublisherSdp.offer(IceCredentials.random(), fp, "stream", "cname", 0, new long[] {ssrc});
        var answer = SdpNegotiation.answer(SessionDescription.parse(offer), List.of("vp8", "opus"),
                new NoopTransport(null).local());
        up = new UpStream("up", "camera", new UpStream.Owner() {
            @Override
            public String clientId() {
                return "presenter";
            }

            @Override
            public String username() {
                return "presenter";
            }

            @Override
            public void tracksChanged(UpStream stream) {
            }

            @Override
            public void transportFailed(UpStream stream) {
            }

            @Override
            public void transportDead(UpStream stream) {
            }
        });
        up.setTransport(new NoopTransport(profile));
        up.setSections(answer.sections());
        // 10 s of 1 Mbit/s video, packetised once; replayed with rising sequence numbers
        Vp8Source source = new Vp8Source(96, ssrc, 1_000_000, 30, 3, 0, null, 0, null, 0);
        byte[] buf = new byte[1600];
        int[] count = {0};
        while (count[0] < frames.length) {
            source.nextFrame(buf, 0, (b, len, seq, key, start) -> {
                if (count[0] < frames.length) {
                    frames[count[0]] = java.util.Arrays.copyOf(b, len);
                    lengths[count[0]++] = len;
                }
            });
        }
        up.onRtp(frames[0], 0, lengths[0]);   // the first packet creates the track (a keyframe)
        next = 1;
        for (int i = 0; i < receivers; i++) {
            DownStream d = new DownStream(up);
            d.setTransport(new NoopTransport(profile));
            d.select(up.tracks());
            SessionDescription downOffer = d.nextOffer(false);
            String downAnswer = SubscriberSdp.answer(downOffer, IceCredentials.random(), fp);
            if (transportCc.equals("on")) {
                downAnswer = withTransportCc(downAnswer, downOffer.toString());
            }
            SessionDescription parsed = SessionDescription.parse(downAnswer);
            if (transportCc.equals("on") != SdpNegotiation.transportCcId(parsed) > 0) {
                throw new IllegalStateException("transportCc=" + transportCc + " but the answer says otherwise");
            }
            d.answered(parsed);
            d.onConnected();
            downs.add(d);
        }
    }

    /** The answer with the offer's transport-wide-cc extmap in every section (its rtcp-fb is kept already). */
    private static String withTransportCc(String answer, String offer) {
        var m = java.util.regex.Pattern.compile("a=extmap:(\\d+) (\\S*transport-wide-cc\\S*)").matcher(offer);
        if (!m.find()) {
            throw new IllegalStateException("the offer has no transport-wide-cc extension");
        }
        return answer.replaceAll("(a=mid:[^\\r\\n]*\\r\\n)", "$1a=extmap:" + m.group(1) + " " + m.group(2) + "\r\n");
    }

    @Benchmark
    public int forward() {
        int i = next;
        byte[] p = frames[i];
        // keep sequence numbers and timestamps moving so the cache and stats see a live stream
        int seq = (int) ((seqBase + i) & 0xFFFF);
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        up.onRtp(p, 0, lengths[i]);
        if (++next == frames.length) {
            next = 0;
            seqBase += frames.length;
        }
        return seq;
    }
}
