package dev.parley.server.sfu;

import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import dev.parley.rtc.rtcp.RtcpWriter;
import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.sdp.Fingerprint;
import dev.parley.rtc.transport.MediaLoop;
import dev.parley.rtc.transport.UdpMux;
import dev.parley.rtc.transport.UdpMuxConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A presenter on one media loop, a receiver on another (and one on the presenter's loop for
 * comparison): the real loops of a two-loop mux, with transports that record what the SFU
 * sends and on which thread. Proves the hand-off between loops: every packet reaches the other
 * loop's receiver, rewritten there, identical to what the same-loop receiver gets; its NACKs are
 * served from the presenter loop's cache and resent on its own loop; its PLIs reach the presenter.
 */
class CrossLoopForwardingTest {
    static UdpMux mux;
    static MediaLoop presenterLoop;
    static MediaLoop otherLoop;
    static final long SSRC = 0x1234;

    @BeforeAll
    static void start() throws Exception {
        mux = UdpMux.start(UdpMuxConfig.of(InetAddress.getLoopbackAddress(), 0, DtlsCertificate.generate(),
                Executors.newVirtualThreadPerTaskExecutor()).withLoops(2));
        presenterLoop = mux.loops().get(0);
        otherLoop = mux.loops().get(1);
    }

    @AfterAll
    static void stop() {
        mux.close();
    }

    record Sent(String thread, byte[] data) {
    }

    /** A transport owned by a real media loop that records what it is asked to send, and where. */
    static final class LoopTransport implements MediaTransport {
        final MediaLoop loop;
        final BlockingQueue<Sent> rtp = new LinkedBlockingQueue<>();
        final BlockingQueue<Sent> rtcp = new LinkedBlockingQueue<>();

        LoopTransport(MediaLoop loop) {
            this.loop = loop;
        }

        @Override public LocalEndpoint local() { throw new UnsupportedOperationException(); }
        @Override public void setRemoteFingerprint(Fingerprint fingerprint) { }
        @Override public void setRemoteUfrag(String ufrag) { }
        @Override public LocalEndpoint restartIce(String newRemoteUfrag) { throw new UnsupportedOperationException(); }
        @Override public boolean isConnected() { return true; }
        @Override public void sendRtp(byte[] buf, int off, int len) { rtp.add(sent(buf, off, len)); }
        @Override public void sendRtcp(byte[] buf, int off, int len) { rtcp.add(sent(buf, off, len)); }
        @Override public void execute(Runnable task) { loop.execute(task); }
        @Override public MediaLoop loop() { return loop; }
        @Override public void close() { }

        private static Sent sent(byte[] buf, int off, int len) {
            return new Sent(Thread.currentThread().getName(), Arrays.copyOfRange(buf, off, off + len));
        }

        Sent next() throws InterruptedException {
            Sent s = rtp.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("a packet sent to the receiver").isNotNull();
            return s;
        }
    }

    static String threadOf(MediaLoop loop) throws Exception {
        return loop.eventLoop().submit(() -> Thread.currentThread().getName()).get();
    }

    final LoopTransport presenter = new LoopTransport(presenterLoop);
    final UpStream up = SfuFixtures.upStream("u", presenter);
    final UpTrack track = new UpTrack(up, SfuFixtures.videoSection("0", SSRC), null, SSRC);

    void receive(int seq, boolean keyframe) {
        byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, keyframe);
        presenterLoop.execute(() -> track.receive(p, 0, p.length, System.nanoTime()));
    }

    DownStream receiver(LoopTransport transport) {
        DownStream d = new DownStream(up);
        d.setTransport(transport);
        d.startDirect(List.of(track));
        return d;
    }

    static byte[] payload(byte[] packet) {
        RtpPacket p = new RtpPacket();
        assertThat(p.wrap(packet, 0, packet.length)).isTrue();
        return Arrays.copyOfRange(packet, p.payloadOffset(), p.payloadOffset() + p.payloadLength());
    }

    @Test
    void MD12_aReceiverOnAnotherLoopGetsEveryPacketRewrittenOnItsOwnLoop() throws Exception {
        assertThat(presenterLoop).isNotSameAs(otherLoop);
        receive(1000, true);                                   // cached: replayed to each receiver on attach
        LoopTransport same = new LoopTransport(presenterLoop);
        LoopTransport other = new LoopTransport(otherLoop);
        receiver(same);
        receiver(other);
        List<Sent> sameGot = new ArrayList<>(List.of(same.next()));
        List<Sent> otherGot = new ArrayList<>(List.of(other.next()));
        long dropped = mux.counters().handoffDropped();
        for (int seq = 1001; seq <= 1200; seq++) {
            receive(seq, false);
        }
        for (int i = 0; i < 200; i++) {
            sameGot.add(same.next());
            otherGot.add(other.next());
        }
        String otherThread = threadOf(otherLoop);
        RtpPacket p = new RtpPacket();
        int firstSeq = -1;
        for (int i = 0; i < otherGot.size(); i++) {
            Sent s = otherGot.get(i);
            assertThat(s.thread()).as("packet %d sent by the receiver's loop", i).isEqualTo(otherThread);
            assertThat(p.wrap(s.data(), 0, s.data().length)).isTrue();
            if (i == 0) {
                firstSeq = p.sequenceNumber();
            }
            assertThat(p.sequenceNumber()).as("contiguous numbering").isEqualTo((firstSeq + i) & 0xFFFF);
            assertThat(payload(s.data())).as("packet %d as the same-loop receiver got it", i)
                    .isEqualTo(payload(sameGot.get(i).data()));
        }
        assertThat(sameGot.getFirst().thread()).isEqualTo(threadOf(presenterLoop));
        assertThat(mux.counters().handoffDropped()).isEqualTo(dropped);
        assertThat(other.rtp.poll(200, TimeUnit.MILLISECONDS)).as("no duplicate").isNull();
    }

    @Test
    void MD11_MD13_nacksAndPlisOfAReceiverOnAnotherLoopReachThePresentersLoop() throws Exception {
        receive(2000, true);
        LoopTransport other = new LoopTransport(otherLoop);
        DownStream down = receiver(other);
        List<Sent> got = new ArrayList<>(List.of(other.next()));
        for (int seq = 2001; seq <= 2010; seq++) {
            receive(seq, false);
        }
        for (int i = 0; i < 10; i++) {
            got.add(other.next());
        }
        RtpPacket p = new RtpPacket();
        byte[] lost = got.get(5).data();
        assertThat(p.wrap(lost, 0, lost.length)).isTrue();
        long ourSsrc = p.ssrc();
        int ourSeq = p.sequenceNumber();

        byte[] nack = new byte[64];
        int n = RtcpWriter.nack(nack, 0, 77, ourSsrc, ourSeq, 0);
        otherLoop.execute(() -> down.onRtcp(nack, 0, n));
        Sent resent = other.next();
        assertThat(resent.thread()).isEqualTo(threadOf(otherLoop));
        assertThat(resent.data()).as("resend byte-identical to the original").isEqualTo(lost);

        byte[] pli = new byte[16];
        int m = RtcpWriter.pli(pli, 0, 77, ourSsrc);
        otherLoop.execute(() -> down.onRtcp(pli, 0, m));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean pliSent = false;
        while (!pliSent && System.nanoTime() < deadline) {
            Sent s = presenter.rtcp.poll(100, TimeUnit.MILLISECONDS);
            if (s == null) {
                continue;
            }
            assertThat(s.thread()).isEqualTo(threadOf(presenterLoop));
            boolean[] isPli = {false};
            RtcpReader.read(s.data(), 0, s.data().length, new RtcpHandler() {
                @Override
                public void onPli(long sender, long media) {
                    isPli[0] |= media == SSRC;
                }
            });
            pliSent = isPli[0];
        }
        assertThat(pliSent).as("PLI to the presenter, from its loop").isTrue();
    }

    /**
     * Issue #14 across loops: a receiver on another loop moved to the other simulcast layer gets
     * it on the same SSRC with contiguous numbers, and its NACKs for packets from before and after
     * the switch are each served from their own layer's cache on the presenter's loop, resent
     * byte-identical on the receiver's loop (the source epoch travels with the hand-off).
     */
    @Test
    void MD13_aReceiverOnAnotherLoopSwitchesLayersAndItsNacksReachTheRightLayersCache() throws Exception {
        LoopTransport presenterSide = new LoopTransport(presenterLoop);
        UpStream simulcast = SfuFixtures.upStream("s", presenterSide);
        UpSection section = new UpSection("0", "video", SfuFixtures.videoSection("0", 1).codec(), 96, List.of("h", "l"),
                null, List.of(0x10L, 0x20L), -1, -1, true, true, true);
        simulcast.setSections(List.of(section));
        int[] seq = {5000, 30000};
        Runnable[] frame = new Runnable[1];
        java.util.function.BiConsumer<Integer, Boolean> send = (layer, key) -> {
            int s = seq[layer]++;
            byte[] p = SimulcastSwitchTest.vp8(s, s * 3000L, s & 0x7FFF, s & 0xFF, 0, key, true, true,
                    layer == 0 ? 0x10 : 0x20);
            presenterLoop.execute(() -> simulcast.onRtp(p, 0, p.length));
        };
        send.accept(0, true);
        send.accept(1, true);
        List<UpTrack> layers = presenterLoop.eventLoop().submit(simulcast::tracks).get();
        assertThat(layers).hasSize(2);
        LoopTransport other = new LoopTransport(otherLoop);
        DownStream down = new DownStream(simulcast);
        down.setTransport(other);
        down.startDirect(List.of(layers.get(0)));
        List<Sent> got = new ArrayList<>(List.of(other.next()));         // the high layer's cached keyframe
        for (int i = 0; i < 5; i++) {
            send.accept(0, false);
            send.accept(1, false);
            got.add(other.next());
        }
        down.select(List.of(layers.get(1)));                                // video-low: no new track
        otherLoop.eventLoop().submit(() -> { }).get();                     // the retarget is on the receiver's loop
        send.accept(1, true);
        send.accept(0, false);
        for (int i = 0; i < 5; i++) {
            send.accept(1, false);
            send.accept(0, false);
        }
        for (int i = 0; i < 6; i++) {
            got.add(other.next());
        }
        assertThat(other.rtp.poll(200, TimeUnit.MILLISECONDS)).as("nothing of the old layer after the switch").isNull();
        RtpPacket p = new RtpPacket();
        long ourSsrc = -1;
        int firstSeq = -1;
        for (int i = 0; i < got.size(); i++) {
            assertThat(p.wrap(got.get(i).data(), 0, got.get(i).data().length)).isTrue();
            if (i == 0) {
                ourSsrc = p.ssrc();
                firstSeq = p.sequenceNumber();
            }
            assertThat(p.ssrc()).isEqualTo(ourSsrc);
            assertThat(p.sequenceNumber()).as("contiguous across the switch").isEqualTo((firstSeq + i) & 0xFFFF);
        }
        for (int i : new int[] {3, 8}) {                                   // before and after the switch
            byte[] nack = new byte[64];
            int n = RtcpWriter.nack(nack, 0, 77, ourSsrc, (firstSeq + i) & 0xFFFF, 0);
            otherLoop.execute(() -> down.onRtcp(nack, 0, n));
            Sent resent = other.next();
            assertThat(resent.thread()).isEqualTo(threadOf(otherLoop));
            assertThat(resent.data()).as("packet %d resent byte-identical", i).isEqualTo(got.get(i).data());
        }
    }
}
