package dev.parley.rtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.dtls.DtlsTestClient;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.rtc.stun.StunMessage;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two media loops on one port (SO_REUSEPORT): the kernel, not we, picks the socket that receives
 * a peer's datagrams, so these tests try fresh client sockets until the kernel's hash puts one on
 * the loop they need (each try has even odds with two loops).
 */
class MultiLoopMuxTest {
    final ExecutorService dtlsExecutor = Executors.newVirtualThreadPerTaskExecutor();
    final List<AutoCloseable> toClose = new ArrayList<>();
    UdpMux mux;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) c.close();
        if (mux != null) mux.close();
        dtlsExecutor.shutdownNow();
    }

    UdpMux start() throws Exception {
        mux = UdpMux.start(UdpMuxConfig.of(InetAddress.getLoopbackAddress(), 0, RtcTransportLoopbackTest.CERT, dtlsExecutor)
                .withLoops(2));
        return mux;
    }

    TestPeer peer() throws Exception {
        TestPeer p = new TestPeer(mux.localAddress());
        toClose.add(p);
        return p;
    }

    /** A fresh peer whose check of {@code creds} the socket of the loop other than the owner's receives (relayed) or not. */
    TestPeer peerWhoseCheckIs(boolean relayed, IceCredentials creds, boolean useCandidate) throws Exception {
        for (int attempt = 0; attempt < 40; attempt++) {
            TestPeer p = peer();
            long before = mux.counters().relayed();
            StunMessage resp = p.check(creds, useCandidate);
            assertThat(resp).as("binding response").isNotNull();
            if ((mux.counters().relayed() > before) == relayed) {
                return p;
            }
        }
        throw new AssertionError("40 client sockets all hashed to the same loop");
    }

    @Test
    void bindsOneSocketPerLoopOnTheSamePort() throws Exception {
        start();
        assertThat(mux.loops()).hasSize(2);
        assertThat(mux.loops().get(0).eventLoop()).isNotSameAs(mux.loops().get(1).eventLoop());
        assertThat(mux.loops().get(1).localAddress()).isEqualTo(mux.localAddress());
        // transports are spread over the loops as they are created
        var a = mux.createTransport(new RtcTransportLoopbackTest.Recorder());
        var b = mux.createTransport(new RtcTransportLoopbackTest.Recorder());
        assertThat(a.loop()).isNotSameAs(b.loop());
    }

    @Test
    void aPeerWhoseDatagramsReachAnotherLoopIsServedByItsOwnerLoop() throws Exception {
        start();
        MediaLoop owner = mux.loops().get(0);
        var rec = new RtcTransportLoopbackTest.Recorder();
        RtcTransport t = mux.createTransport(rec, owner);
        TestPeer p = peerWhoseCheckIs(true, t.localIceCredentials(), true);   // received by loop 1
        assertThat(t.selectedRemote()).isEqualTo(p.localAddress());

        DtlsTestClient client = new DtlsTestClient(t.localFingerprint(), SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        t.setRemoteFingerprint(client.fingerprint());
        p.handshake(client);                                    // DTLS through the relay, answered by loop 0
        assertThat(rec.awaitState(RtcTransport.State.CONNECTED)).isNotNull();
        long relayed = mux.counters().relayed();
        for (int seq = 1; seq <= 5; seq++) {
            RtcTransportLoopbackTest.roundTrip(p, rec, 0x3333, seq);
        }
        assertThat(rec.callbackThread).as("listener runs on the owner loop")
                .isEqualTo(owner.eventLoop().submit(() -> Thread.currentThread().getName()).get());
        assertThat(mux.counters().relayed()).isGreaterThanOrEqualTo(relayed + 5);
        assertThat(mux.counters().handoffDropped()).isZero();
        // on Linux with JDK 22+ the loop reads its socket with its own recvmmsg and SRTP leaves
        // through its own sendmmsg batches, unless a fallback flag turns them off
        boolean sendmmsg = !Boolean.getBoolean("parley.noSendmmsg");
        assertThat(owner.batchesSends()).isEqualTo(sendmmsg);
        assertThat(owner.readsItself()).isEqualTo(sendmmsg && !Boolean.getBoolean("parley.noRecvmmsg"));
        if (sendmmsg) {
            assertThat(mux.counters().datagramsSent()).as("SRTP datagrams sent by sendmmsg").isGreaterThanOrEqualTo(5);
        }
        assertThat(mux.counters().sendFailed()).isZero();
        if (owner.readsItself()) {
            // the kernel receive time travels with the relayed datagram: each echo (sent while its
            // RTP is dispatched, as a fan-out would) is measured from it, on the owner loop only
            assertThat(owner.forwardingDelay().snapshot().count()).isGreaterThanOrEqualTo(5);
            assertThat(mux.loops().get(1).forwardingDelay().snapshot().count()).isZero();
            arrivalTravelsWithTheRelayedDatagram(owner, p, rec);
        }
    }

    /**
     * Issue #14: the owner's listener gets the kernel's receive time of a relayed datagram as its
     * arrival (MediaLoop.arrivalNanoTime), not the time the owner got round to it: the owner is
     * held while loop 1 reads the packet and hands it over.
     */
    private static void arrivalTravelsWithTheRelayedDatagram(MediaLoop owner, TestPeer p,
                                                              RtcTransportLoopbackTest.Recorder rec) throws Exception {
        rec.echoRtp = false;
        rec.arrivals.clear();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
        owner.execute(() -> {
            held.countDown();
            try {
                sent.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        long beforeSend = System.nanoTime();
        byte[] b = new byte[1500];
        p.sendRaw(b, 0, p.out.protectRtp(b, 0, TestPeer.rtp(b, 0x3333, 6, 100)));
        Thread.sleep(5);                                       // loop 1 reads and relays it meanwhile
        long released = System.nanoTime();
        sent.countDown();
        long[] arrival = rec.arrivals.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(arrival).isNotNull();
        assertThat(arrival[0]).as("the kernel's receive time, in nanoTime's domain").isBetween(beforeSend - 1_000_000, released);
        assertThat(arrival[1]).as("handled once the owner was released").isGreaterThanOrEqualTo(released);
    }

    @Test
    void iceRestartToATupleAnotherLoopReceivesKeepsMediaFlowing() throws Exception {
        start();
        MediaLoop owner = mux.loops().get(1);
        var rec = new RtcTransportLoopbackTest.Recorder();
        RtcTransport t = mux.createTransport(rec, owner);
        TestPeer first = peerWhoseCheckIs(false, t.localIceCredentials(), true);   // received by its owner
        DtlsTestClient client = new DtlsTestClient(t.localFingerprint(), SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        t.setRemoteFingerprint(client.fingerprint());
        first.handshake(client);
        assertThat(rec.awaitState(RtcTransport.State.CONNECTED)).isNotNull();
        RtcTransportLoopbackTest.roundTrip(first, rec, 0x4444, 1);

        IceCredentials fresh = t.restartIce(null);
        TestPeer second = peerWhoseCheckIs(true, fresh, true);       // the new path lands on loop 0
        assertThat(t.selectedRemote()).isEqualTo(second.localAddress());
        second.keys = first.keys;
        second.out = first.out;
        second.in = first.in;
        for (int seq = 2; seq <= 6; seq++) {
            RtcTransportLoopbackTest.roundTrip(second, rec, 0x4444, seq);
        }
        assertThat(t.state()).isEqualTo(RtcTransport.State.CONNECTED);
    }
}
