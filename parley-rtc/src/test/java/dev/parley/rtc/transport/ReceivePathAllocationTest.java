package dev.parley.rtc.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.rtc.dtls.DtlsTestClient;
import dev.parley.rtc.srtp.SrtpProfile;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #13: receiving a datagram must not allocate. Real SRTP datagrams go through a real
 * loopback socket into a media loop (recvmmsg, route lookup, demux, SRTP unprotect, listener); the
 * measure is the bytes the loop's thread allocated (ThreadMXBean), divided by the packets delivered,
 * after a warm-up. Not a timing: the sender waits for the loop whenever it is ahead.
 */
class ReceivePathAllocationTest {
    private static final int WARMUP = 20_000;
    private static final int PACKETS = 100_000;
    private static final int BURST = 64;

    final ExecutorService dtlsExecutor = Executors.newVirtualThreadPerTaskExecutor();
    UdpMux mux;
    TestPeer peer;

    @AfterEach
    void tearDown() {
        if (peer != null) peer.close();
        if (mux != null) mux.close();
        dtlsExecutor.shutdownNow();
    }

    /** Counts the packets it gets, allocating nothing per packet. */
    static final class Counting implements RtcTransportListener {
        final java.util.concurrent.BlockingQueue<RtcTransport.State> states = new java.util.concurrent.LinkedBlockingQueue<>();
        volatile long packets;
        volatile long checksum;

        @Override
        public void onStateChange(RtcTransport t, RtcTransport.State s) {
            states.add(s);
        }

        boolean awaitConnected() throws InterruptedException {
            RtcTransport.State s;
            while ((s = states.poll(10, TimeUnit.SECONDS)) != null) {
                if (s == RtcTransport.State.CONNECTED) return true;
            }
            return false;
        }

        @Override
        public void onRtp(RtcTransport t, byte[] buf, int off, int len) {
            checksum += buf[off + len - 1];
            packets++;                          // one writer: the loop
        }

        @Override
        public void onRtcp(RtcTransport t, byte[] buf, int off, int len) {
        }
    }

    @Test
    void receivingSrtpFromAKnownTupleAllocatesNothingOnTheLoop() throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mux = UdpMux.start(UdpMuxConfig.of(InetAddress.getLoopbackAddress(), 0, RtcTransportLoopbackTest.CERT, dtlsExecutor)
                .withSrtpProfiles(java.util.List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80)));
        peer = new TestPeer(mux.localAddress());
        Counting counting = new Counting();
        RtcTransport t = mux.createTransport(counting);
        assertThat(peer.check(t.localIceCredentials(), true)).as("binding response").isNotNull();
        DtlsTestClient client = new DtlsTestClient(t.localFingerprint(), SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        t.setRemoteFingerprint(client.fingerprint());
        peer.handshake(client);
        assertThat(counting.awaitConnected()).as("connected").isTrue();
        long loopThread = mux.eventLoop().submit(() -> Thread.currentThread().threadId()).get();

        int seq = 0;
        seq = send(counting, seq, WARMUP);
        long before = threads.getThreadAllocatedBytes(loopThread);
        long delivered = counting.packets;
        send(counting, seq, PACKETS);
        long allocated = threads.getThreadAllocatedBytes(loopThread) - before;
        long packets = counting.packets - delivered;
        double perPacket = (double) allocated / packets;
        System.out.printf("media loop (%s): %d bytes allocated over %d received SRTP datagrams: %.3f B/datagram%n",
                mux.ownsSockets() ? "own recvmmsg" : "Netty channel", allocated, packets, perPacket);

        assertThat(packets).as("packets delivered").isGreaterThanOrEqualTo(PACKETS * 9L / 10);
        assertThat(counting.checksum).isNotZero();
        assumeTrue(mux.ownsSockets(), "the loops read through Netty here (no FFM, or -Dparley.noRecvmmsg)");
        assertThat(perPacket).as("bytes allocated per received datagram on the media loop").isLessThan(1.0);
    }

    /** Sends {@code count} SRTP packets in bursts, waiting for the loop to deliver each burst before the next. */
    private int send(Counting counting, int seq, int count) throws Exception {
        byte[] b = new byte[1500];
        DatagramPacket p = new DatagramPacket(b, 0, peer.server);
        for (int sent = 0; sent < count; ) {
            long target = counting.packets + Math.min(BURST, count - sent);
            for (int i = 0; i < BURST && sent < count; i++, sent++, seq++) {
                int len = TestPeer.rtp(b, 0x5EED, seq & 0xFFFF, 160);
                p.setData(b, 0, peer.out.protectRtp(b, 0, len));
                p.setSocketAddress(peer.server);
                peer.socket.send(p);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (counting.packets < target && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        return seq;
    }
}
