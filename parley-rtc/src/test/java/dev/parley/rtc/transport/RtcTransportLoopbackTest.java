package dev.parley.rtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.dtls.DtlsTestClient;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.rtc.stun.StunIntegrity;
import dev.parley.rtc.stun.StunMessage;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ICE-lite + DTLS + SRTP over real loopback UDP against a test peer. */
class RtcTransportLoopbackTest {
    static final DtlsCertificate CERT = DtlsCertificate.generate();
    static final int ECHO_SSRC = 0x0EC40000;
    final ExecutorService dtlsExecutor = Executors.newVirtualThreadPerTaskExecutor();
    final List<AutoCloseable> toClose = new ArrayList<>();
    UdpMux mux;

    /** Records events; echoes each RTP packet back with SSRC {@link #ECHO_SSRC}, from the loop thread. */
    static final class Recorder implements RtcTransportListener {
        final BlockingQueue<RtcTransport.State> states = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> rtp = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> rtcp = new LinkedBlockingQueue<>();
        /** Each RTP packet's {@link MediaLoop#arrivalNanoTime} and the nanoTime it was handled at. */
        final BlockingQueue<long[]> arrivals = new LinkedBlockingQueue<>();
        final byte[] echo = new byte[2048];
        volatile boolean echoRtp = true;
        volatile String callbackThread;

        @Override
        public void onStateChange(RtcTransport t, RtcTransport.State s) {
            states.add(s);
        }

        @Override
        public void onRtp(RtcTransport t, byte[] buf, int off, int len) {
            callbackThread = Thread.currentThread().getName();
            long now = System.nanoTime();
            arrivals.add(new long[]{t.loop().arrivalNanoTime(now), now});
            rtp.add(Arrays.copyOfRange(buf, off, off + len));
            if (echoRtp) {
                System.arraycopy(buf, off, echo, 0, len);
                TestPeer.writeInt(echo, 8, ECHO_SSRC);
                t.sendRtp(echo, 0, len);
            }
        }

        @Override
        public void onRtcp(RtcTransport t, byte[] buf, int off, int len) {
            rtcp.add(Arrays.copyOfRange(buf, off, off + len));
        }

        RtcTransport.State awaitState(RtcTransport.State wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            RtcTransport.State s;
            while ((s = states.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                if (s == wanted) return s;
            }
            return null;
        }
    }

    UdpMux startMux(Duration consentTimeout) throws Exception {
        UdpMuxConfig c = UdpMuxConfig.of(InetAddress.getLoopbackAddress(), 0, CERT, dtlsExecutor).withConsentTimeout(consentTimeout);
        mux = UdpMux.start(c);
        return mux;
    }

    TestPeer peer() throws Exception {
        TestPeer p = new TestPeer(mux.localAddress());
        toClose.add(p);
        return p;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) c.close();
        if (mux != null) mux.close();
        dtlsExecutor.shutdownNow();
    }

    /** ICE check with USE-CANDIDATE, then DTLS; returns when the server side is CONNECTED. */
    RtcTransport connect(TestPeer peer, Recorder rec, SrtpProfile... profiles) throws Exception {
        RtcTransport t = mux.createTransport(rec);
        t.setRemoteIceParameters(peer.ufrag);
        IceCredentials creds = t.localIceCredentials();
        StunMessage resp = peer.check(creds, true);
        assertThat(resp).as("binding response").isNotNull();
        assertThat(resp.isBindingSuccess()).isTrue();
        assertThat(resp.xorMappedAddress()).isEqualTo(peer.localAddress());
        assertThat(StunIntegrity.shortTerm(creds.password()).verify(resp)).isTrue();
        assertThat(StunIntegrity.verifyFingerprint(resp, new CRC32())).isTrue();
        assertThat(rec.awaitState(RtcTransport.State.CHECKING)).isNotNull();
        assertThat(t.selectedRemote()).isEqualTo(peer.localAddress());

        DtlsTestClient client = new DtlsTestClient(t.localFingerprint(), profiles);
        t.setRemoteFingerprint(client.fingerprint());
        peer.handshake(client);
        assertThat(rec.awaitState(RtcTransport.State.CONNECTED)).isNotNull();
        return t;
    }

    static void awaitCounter(LongSupplier counter, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (counter.getAsLong() < atLeast && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(counter.getAsLong()).isGreaterThanOrEqualTo(atLeast);
    }

    /** Sends one SRTP packet from the peer and checks it arrives decrypted and comes back echoed. */
    static void roundTrip(TestPeer peer, Recorder rec, int ssrc, int seq) throws Exception {
        byte[] b = new byte[1500];
        int len = TestPeer.rtp(b, ssrc, seq, 100 + seq % 200);
        byte[] plain = Arrays.copyOf(b, len);
        int n = peer.out.protectRtp(b, 0, len);
        peer.sendRaw(b, 0, n);
        byte[] got = rec.rtp.poll(5, TimeUnit.SECONDS);
        assertThat(got).as("server received seq %d", seq).isEqualTo(plain);
        byte[] echoed = peer.nextMedia(5000);
        assertThat(echoed).as("echo of seq %d", seq).isNotNull();
        int m = peer.in.unprotectRtp(echoed, 0, echoed.length);
        assertThat(m).isEqualTo(len);
        assertThat(TestPeer.readInt(echoed, 8)).isEqualTo(ECHO_SSRC);
        assertThat(Arrays.copyOfRange(echoed, 12, m)).isEqualTo(Arrays.copyOfRange(plain, 12, len));
    }

    /**
     * RFC 8842 §5.3: the answer said {@code a=setup:passive} (pion always does to an ICE-lite
     * offerer), so the transport sends the ClientHello once ICE has a tuple, whether the answer is
     * applied before the first check or after it; SRTP is keyed for the client side.
     */
    @ParameterizedTest(name = "role set before ICE: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void dtlsClientRole_againstAPassivePeer_srtpBothWays(boolean roleBeforeIce) throws Exception {
        startMux(Duration.ofSeconds(30));
        TestPeer peer = peer();
        Recorder rec = new Recorder();
        RtcTransport t = mux.createTransport(rec);
        t.setRemoteIceParameters(peer.ufrag);
        DtlsCertificate peerCert = DtlsCertificate.generate();
        var keyed = peer.serveDtls(peerCert, t.localFingerprint(), dtlsExecutor);
        t.setRemoteFingerprint(peerCert.fingerprint());
        if (roleBeforeIce) t.setDtlsRole(dev.parley.rtc.dtls.DtlsRole.CLIENT);
        assertThat(peer.check(t.localIceCredentials(), true)).as("binding response").isNotNull();
        assertThat(rec.awaitState(RtcTransport.State.CHECKING)).isNotNull();
        if (!roleBeforeIce) {
            Thread.sleep(200); // an ICE tuple alone must not start anything: the server waits for a ClientHello
            assertThat(keyed).isNotDone();
            t.setDtlsRole(dev.parley.rtc.dtls.DtlsRole.CLIENT);
        }
        peer.keyAsServer(keyed);
        assertThat(rec.awaitState(RtcTransport.State.CONNECTED)).isNotNull();
        assertThat(t.srtpProfile()).isEqualTo(peer.keys.profile());

        for (int seq = 1; seq <= 20; seq++) roundTrip(peer, rec, 0xC11E, seq);
        byte[] b = new byte[200];
        int len = TestPeer.receiverReport(b, 0x5E4E4, 4);
        byte[] plain = Arrays.copyOf(b, len);
        assertThat(t.sendRtcp(b, 0, len)).isTrue();
        byte[] wire = peer.nextMedia(5000);
        assertThat(wire).isNotNull();
        assertThat(Arrays.copyOf(wire, peer.in.unprotectRtcp(wire, 0, wire.length))).isEqualTo(plain);
        assertThat(mux.counters().srtpAuthFailed()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void iceDtlsSrtp_rtpAndRtcpBothWays(SrtpProfile profile) throws Exception {
        startMux(Duration.ofSeconds(30));
        TestPeer peer = peer();
        Recorder rec = new Recorder();
        RtcTransport t = connect(peer, rec, profile);
        assertThat(t.srtpProfile()).isEqualTo(profile);
        assertThat(peer.keys.profile()).isEqualTo(profile);
        assertThat(t.localCandidates()).singleElement()
                .satisfies(c -> assertThat(c.toSdp()).endsWith("127.0.0.1 " + mux.localAddress().getPort() + " typ host"));

        for (int seq = 65500; seq < 65600; seq++) roundTrip(peer, rec, 0xABCD, seq & 0xFFFF); // crosses the ROC wrap
        assertThat(rec.callbackThread).isEqualTo(threadName(mux));

        // RTCP peer -> server
        byte[] b = new byte[200];
        int len = TestPeer.receiverReport(b, 0xABCD, 3);
        byte[] plain = Arrays.copyOf(b, len);
        peer.sendRaw(b, 0, peer.out.protectRtcp(b, 0, len));
        assertThat(rec.rtcp.poll(5, TimeUnit.SECONDS)).isEqualTo(plain);

        // RTCP server -> peer, sent from a foreign thread (copied and posted to the loop)
        len = TestPeer.receiverReport(b, 0x5E4E4, 9);
        plain = Arrays.copyOf(b, len);
        assertThat(t.sendRtcp(b, 0, len)).isTrue();
        byte[] wire = peer.nextMedia(5000);
        assertThat(wire).isNotNull();
        int n = peer.in.unprotectRtcp(wire, 0, wire.length);
        assertThat(Arrays.copyOf(wire, n)).isEqualTo(plain);

        assertThat(mux.counters().rtpDelivered()).isEqualTo(100);
        assertThat(mux.counters().rtcpDelivered()).isEqualTo(1);
        assertThat(mux.counters().dropped()).as(mux.counters().toString()).isZero();

        t.close();
        assertThat(rec.awaitState(RtcTransport.State.CLOSED)).isNotNull();
        // the tuple is forgotten: its media is now from an unknown tuple
        len = TestPeer.rtp(b, 0xABCD, 200, 10); // a new index: GCM refuses to reuse one with other bytes
        peer.sendRaw(b, 0, peer.out.protectRtp(b, 0, len));
        awaitCounter(() -> mux.counters().unknownTuple(), 1);
    }

    private static String threadName(UdpMux mux) throws Exception {
        return mux.eventLoop().submit(() -> Thread.currentThread().getName()).get();
    }

    @Test
    void garbage_isDroppedAndCounted_goodSessionKeepsWorking() throws Exception {
        startMux(Duration.ofSeconds(30));
        TestPeer good = peer();
        Recorder rec = new Recorder();
        RtcTransport t = connect(good, rec, SrtpProfile.AEAD_AES_128_GCM);
        roundTrip(good, rec, 0x1111, 1);
        MuxCounters c = mux.counters();
        Random r = new Random(42);

        // --- from an unknown tuple ---
        TestPeer stranger = peer();
        long received = c.datagramsReceived();
        for (int i = 0; i < 20; i++) { // random junk of every kind
            byte[] junk = new byte[1 + r.nextInt(300)];
            r.nextBytes(junk);
            stranger.sendRaw(junk);
        }
        byte[] unclassifiable = {(byte) 0xFF, 1, 2, 3};
        stranger.sendRaw(unclassifiable);
        awaitCounter(c::datagramsReceived, received + 21); // all junk handled before taking baselines
        awaitCounter(c::unclassified, 1);
        assertThat(c.dropped()).isGreaterThanOrEqualTo(21);
        byte[] truncatedStun = Arrays.copyOf(good.bindingRequest(t.localIceCredentials(), t.localIceCredentials().password(), false), 30);
        long malformed = c.stunMalformed();
        stranger.sendRaw(truncatedStun);
        awaitCounter(c::stunMalformed, malformed + 1);
        long rejected = c.stunRejected();
        stranger.sendRaw(stranger.bindingRequest(t.localIceCredentials(), "wrong-password-wrong-password", true));
        awaitCounter(c::stunRejected, rejected + 1);
        long unknownUfrag = c.stunUnknownUfrag();
        stranger.sendRaw(stranger.bindingRequest(new IceCredentials("nobody", "x".repeat(22)), "x".repeat(22), true));
        awaitCounter(c::stunUnknownUfrag, unknownUfrag + 1);
        long unknownTuple = c.unknownTuple();
        byte[] dtlsJunk = new byte[60];
        r.nextBytes(dtlsJunk);
        dtlsJunk[0] = 22;
        stranger.sendRaw(dtlsJunk);
        byte[] rtpJunk = new byte[60];
        TestPeer.rtp(rtpJunk, 0x1111, 2, 40);
        stranger.sendRaw(rtpJunk);
        awaitCounter(c::unknownTuple, unknownTuple + 2);
        assertThat(t.selectedRemote()).isEqualTo(good.localAddress()); // the bad check did not steal the session

        // --- from the good tuple ---
        byte[] b = new byte[1500];
        int len = TestPeer.rtp(b, 0x1111, 3, 80);
        int n = good.out.protectRtp(b, 0, len);
        byte[] valid = Arrays.copyOf(b, n);
        byte[] badTag = valid.clone();
        badTag[n - 1] ^= 0x55;
        long auth = c.srtpAuthFailed();
        good.sendRaw(badTag);
        awaitCounter(c::srtpAuthFailed, auth + 1);
        rec.echoRtp = false;
        good.sendRaw(valid);
        assertThat(rec.rtp.poll(5, TimeUnit.SECONDS)).isNotNull();
        long replay = c.srtpReplayed();
        good.sendRaw(valid);
        awaitCounter(c::srtpReplayed, replay + 1);
        long srtpMalformed = c.srtpMalformed();
        good.sendRaw(Arrays.copyOf(valid, 8));
        awaitCounter(c::srtpMalformed, srtpMalformed + 1);
        rejected = c.stunRejected();
        good.sendRaw(good.bindingRequest(t.localIceCredentials(), "wrong-password-wrong-password", false));
        awaitCounter(c::stunRejected, rejected + 1);
        good.sendRaw(dtlsJunk); // garbage into the established DTLS session: discarded by the record layer
        byte[] badRtcp = new byte[100];
        len = TestPeer.receiverReport(badRtcp, 0x1111, 1);
        n = good.out.protectRtcp(badRtcp, 0, len);
        badRtcp[12] ^= 1;
        auth = c.srtpAuthFailed();
        good.sendRaw(badRtcp, 0, n);
        awaitCounter(c::srtpAuthFailed, auth + 1);

        // larger than any datagram we serve (the slots are 2 KB): cut by the kernel, dropped, counted
        long dropped = c.dropped();
        long truncated = c.truncated();
        byte[] jumbo = new byte[3000];
        TestPeer.rtp(jumbo, 0x1111, 30, 2900);
        good.sendRaw(jumbo);
        awaitCounter(c::dropped, dropped + 1);
        if (mux.ownsSockets()) {
            assertThat(c.truncated()).as("MSG_TRUNC").isEqualTo(truncated + 1);
        }

        // the good session still works both ways
        rec.echoRtp = true;
        for (int seq = 10; seq < 20; seq++) roundTrip(good, rec, 0x1111, seq);
        assertThat(t.state()).isEqualTo(RtcTransport.State.CONNECTED);
        assertThat(rec.rtp).isEmpty();
        assertThat(c.dropped()).isGreaterThanOrEqualTo(30);
    }

    /**
     * More datagrams waiting than one wake-up of the loop reads (8 recvmmsg of 16): the rest must
     * wake the loop again (level-triggered readiness), so every one is delivered, in order.
     */
    @Test
    void aBurstLongerThanOneWakeUpReads_isDeliveredWhole() throws Exception {
        startMux(Duration.ofSeconds(30));
        TestPeer peer = peer();
        Recorder rec = new Recorder();
        connect(peer, rec, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        rec.echoRtp = false;
        int burst = 1000;
        long delivered = mux.counters().rtpDelivered();
        byte[] b = new byte[1500];
        java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
        mux.eventLoop().execute(() -> {                  // hold the loop until the whole burst waits in the socket
            try {
                sent.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int seq = 1; seq <= burst; seq++) {
            int len = TestPeer.rtp(b, 0xB00B, seq, 100);
            peer.sendRaw(b, 0, peer.out.protectRtp(b, 0, len));
        }
        sent.countDown();
        awaitCounter(() -> mux.counters().rtpDelivered(), delivered + burst);
        for (int seq = 1; seq <= burst; seq++) {
            byte[] got = rec.rtp.poll(5, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(((got[2] & 0xFF) << 8) | (got[3] & 0xFF)).isEqualTo(seq);
        }
        assertThat(mux.counters().dropped()).isZero();
    }

    /**
     * Issue #14: packets that wait in the socket while the loop is busy are given, as arrival, the
     * kernel's receive time in System.nanoTime()'s domain, not the time the loop read them. The
     * loop is held until both packets were sent, 10 ms apart (the sender sleeps: a slow machine only
     * widens the gap), so both are handled after {@code released} and one after the other.
     */
    @Test
    void packetsReadLateCarryTheirKernelArrivalInTheNanoTimeDomain() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(LoopSocket.isSupported() && RealtimeClock.create().isPresent(),
                "needs recvmmsg and clock_gettime through FFM");
        startMux(Duration.ofSeconds(30));
        TestPeer peer = peer();
        Recorder rec = new Recorder();
        RtcTransport t = connect(peer, rec, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        org.junit.jupiter.api.Assumptions.assumeTrue(t.loop().readsItself(), "the loop reads its own socket");
        rec.echoRtp = false;
        byte[] b = new byte[1500];
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
        t.loop().execute(() -> {
            held.countDown();
            try {
                sent.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        long beforeSend = System.nanoTime();
        peer.sendRaw(b, 0, peer.out.protectRtp(b, 0, TestPeer.rtp(b, 0xA11, 1, 100)));
        Thread.sleep(10);
        peer.sendRaw(b, 0, peer.out.protectRtp(b, 0, TestPeer.rtp(b, 0xA11, 2, 100)));
        long released = System.nanoTime();
        sent.countDown();
        long[] first = rec.arrivals.poll(5, TimeUnit.SECONDS);
        long[] second = rec.arrivals.poll(5, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(first[0]).as("arrival of the first, in nanoTime's domain").isBetween(beforeSend - 1_000_000, released);
        assertThat(second[0]).isBetween(first[0], released);
        assertThat(first[1]).as("handled after the loop was released").isGreaterThanOrEqualTo(released);
        assertThat(second[0] - first[0]).as("the spacing they had on the wire").isGreaterThanOrEqualTo(10_000_000);
    }

    /**
     * A peer that went away: what the server still sends it comes back as ICMP port unreachable. The
     * loop must read on (an unconnected socket normally ignores those; a queued ECONNREFUSED is
     * consumed by the read that reports it), and other peers keep their media.
     */
    @Test
    void portUnreachableFromAClosedPeer_otherPeersKeepWorking() throws Exception {
        startMux(Duration.ofSeconds(30));
        TestPeer gone = peer();
        Recorder goneRec = new Recorder();
        RtcTransport goneTransport = connect(gone, goneRec, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        TestPeer stays = peer();
        Recorder rec = new Recorder();
        connect(stays, rec, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        gone.close();
        byte[] b = new byte[200];
        for (int seq = 1; seq <= 50; seq++) {
            assertThat(goneTransport.sendRtp(b, 0, TestPeer.rtp(b, 0x7777, seq, 100))).isTrue();
        }
        for (int seq = 1; seq <= 20; seq++) roundTrip(stays, rec, 0x8888, seq);
        assertThat(mux.counters().sendFailed()).isZero();
    }

    @Test
    void ipv6Loopback_connectsAndExchangesSrtp() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(new java.net.InetSocketAddress(v6, 0))) {
            assertThat(probe.getLocalPort()).isPositive();
        } catch (java.net.SocketException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no IPv6 loopback: " + e);
        }
        mux = UdpMux.start(UdpMuxConfig.of(v6, 0, CERT, dtlsExecutor));
        TestPeer peer = new TestPeer(mux.localAddress(), v6);
        toClose.add(peer);
        Recorder rec = new Recorder();
        RtcTransport t = connect(peer, rec, SrtpProfile.AEAD_AES_128_GCM);
        assertThat(t.localCandidates().get(0).toSdp()).contains(" ::1 ");
        for (int seq = 1; seq <= 5; seq++) roundTrip(peer, rec, 0x6666, seq);
        assertThat(mux.counters().dropped()).isZero();
    }

    @Test
    void usesEpollOnLinuxX86_64() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64"));
        startMux(Duration.ofSeconds(30));
        assertThat(mux.isEpoll()).isTrue();
        // JDK 22+: the loops read (recvmmsg) and write (sendmmsg) their sockets themselves, unless turned off
        assertThat(mux.ownsSockets()).isEqualTo(!Boolean.getBoolean("parley.noRecvmmsg") && !Boolean.getBoolean("parley.noSendmmsg"));
    }

    @Test
    void consentFreshness_noChecksMarksTransportFailed_iceRestartRevives() throws Exception {
        startMux(Duration.ofMillis(600));
        TestPeer peer = peer();
        Recorder rec = new Recorder();
        RtcTransport t = connect(peer, rec, SrtpProfile.AEAD_AES_128_GCM);
        // keep consent alive for a while with checks: still connected
        for (int i = 0; i < 5; i++) {
            Thread.sleep(200);
            assertThat(peer.check(t.localIceCredentials(), false)).isNotNull();
        }
        assertThat(t.state()).isEqualTo(RtcTransport.State.CONNECTED);
        // then go silent
        assertThat(rec.awaitState(RtcTransport.State.FAILED)).isNotNull();
        byte[] b = new byte[200];
        assertThat(t.sendRtp(b, 0, TestPeer.rtp(b, 1, 1, 20))).isFalse();
        // consent once lost is not regained with the old credentials...
        long rejected = mux.counters().stunRejected();
        assertThat(peer.check(t.localIceCredentials(), true)).isNull();
        assertThat(mux.counters().stunRejected()).isGreaterThan(rejected);
        assertThat(t.state()).isEqualTo(RtcTransport.State.FAILED);
        // ...but an ICE restart revives the transport with the same DTLS keys
        IceCredentials fresh = t.restartIce(peer.ufrag);
        assertThat(peer.check(fresh, true)).isNotNull();
        assertThat(rec.awaitState(RtcTransport.State.CONNECTED)).isNotNull();
        roundTrip(peer, rec, 0x3333, 1);
    }

    @Test
    void handshakeTimeout_aTransportThatNeverConnectsFailsForGood() throws Exception {
        mux = UdpMux.start(UdpMuxConfig.of(InetAddress.getLoopbackAddress(), 0, CERT, dtlsExecutor)
                .withHandshakeTimeout(Duration.ofMillis(300)));
        TestPeer peer = peer();
        Recorder rec = new Recorder();
        RtcTransport t = mux.createTransport(rec);
        t.setRemoteIceParameters(peer.ufrag);
        // no check at all: the transport fails once the timeout has passed
        assertThat(rec.awaitState(RtcTransport.State.FAILED)).isNotNull();
        assertThat(t.isRecoverable()).as("no ICE restart can revive it").isFalse();
        IceCredentials fresh = t.restartIce(peer.ufrag);
        assertThat(peer.check(fresh, true)).as("a check after the failure").isNull();
        assertThat(t.state()).isEqualTo(RtcTransport.State.FAILED);
    }

    @Test
    void iceRestartsRacingChecksAndClose_leaveNoUfragRegistered() throws Exception {
        startMux(Duration.ofSeconds(30));
        TestPeer peer = peer();
        for (int round = 0; round < 50; round++) {
            Recorder rec = new Recorder();
            RtcTransport t = mux.createTransport(rec);
            t.setRemoteIceParameters(peer.ufrag);
            assertThat(peer.check(t.localIceCredentials(), true)).isNotNull();
            java.util.concurrent.atomic.AtomicReference<IceCredentials> latest =
                    new java.util.concurrent.atomic.AtomicReference<>(t.localIceCredentials());
            Thread restarter = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20; i++) {
                    latest.set(t.restartIce(peer.ufrag));   // signalling thread
                    Thread.onSpinWait();
                }
            });
            for (int i = 0; i < 20; i++) {                    // checks complete restarts on the loop
                IceCredentials c = latest.get();
                peer.sendRaw(peer.bindingRequest(c, c.password(), false));
                Thread.onSpinWait();
            }
            restarter.join();
            peer.check(latest.get(), false);
            t.close();
            t.restartIce(peer.ufrag);                          // a restart racing the close
            mux.eventLoop().submit(() -> { }).sync();
            assertThat(mux.ufragsOf(t)).as("ufrags still routing to closed transport, round %d", round).isZero();
        }
    }

    @Test
    void iceRestart_makeBeforeBreak() throws Exception {
        startMux(Duration.ofSeconds(30));
        TestPeer first = peer();
        Recorder rec = new Recorder();
        RtcTransport t = connect(first, rec, SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        IceCredentials old = t.localIceCredentials();

        TestPeer second = peer(); // the peer's new path, with its new ufrag
        IceCredentials fresh = t.restartIce(second.ufrag);
        assertThat(fresh.ufrag()).isNotEqualTo(old.ufrag());
        assertThat(t.localIceCredentials()).isEqualTo(fresh);
        // old credentials keep working on the old tuple, media still flows there
        assertThat(first.check(old, false)).isNotNull();
        roundTrip(first, rec, 0x2222, 1);
        // new credentials with the wrong remote ufrag are refused
        assertThat(first.check(fresh, false)).isNull();

        // the new path checks with the new credentials: it becomes the selected tuple
        second.keys = first.keys;
        second.out = first.out;
        second.in = first.in;
        StunMessage resp = second.check(fresh, false);
        assertThat(resp).isNotNull();
        assertThat(resp.xorMappedAddress()).isEqualTo(second.localAddress());
        assertThat(t.selectedRemote()).isEqualTo(second.localAddress());
        roundTrip(second, rec, 0x2222, 2);

        // the old credentials are gone now
        MuxCounters c = mux.counters();
        long unknownUfrag = c.stunUnknownUfrag();
        TestPeer third = peer();
        third.sendRaw(third.bindingRequest(old, old.password(), true));
        awaitCounter(c::stunUnknownUfrag, unknownUfrag + 1);
        long rejected = c.stunRejected();
        assertThat(first.check(old, true)).isNull();
        assertThat(c.stunRejected()).isGreaterThan(rejected);
        assertThat(t.state()).isEqualTo(RtcTransport.State.CONNECTED);
    }

    @Test
    void wrongDtlsFingerprint_failsTransport() throws Exception {
        startMux(Duration.ofSeconds(30));
        TestPeer peer = peer();
        Recorder rec = new Recorder();
        RtcTransport t = mux.createTransport(rec);
        assertThat(peer.check(t.localIceCredentials(), true)).isNotNull();
        t.setRemoteFingerprint(DtlsCertificate.generate().fingerprint());
        DtlsTestClient client = new DtlsTestClient(t.localFingerprint(), SrtpProfile.AEAD_AES_128_GCM);
        try {
            peer.handshake(client);
        } catch (java.io.IOException expected) {
            // the server aborts with bad_certificate
        }
        assertThat(rec.awaitState(RtcTransport.State.FAILED)).isNotNull();
        assertThat(t.srtpProfile()).isNull();
        assertThat(t.isRecoverable()).as("a DTLS failure is terminal: no ICE restart revives it").isFalse();
    }
}
