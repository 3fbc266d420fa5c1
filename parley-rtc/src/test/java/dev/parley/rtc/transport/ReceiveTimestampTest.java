package dev.parley.rtc.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.LinuxSocket;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kernel receive timestamps on a media loop's socket ({@code SO_TIMESTAMPNS} read back from
 * recvmmsg's ancillary data), and the forwarding delay a {@link DatagramBatch} records from them:
 * real sockets on loopback. The time bounds are deliberately loose (seconds): they catch a missing
 * timestamp, a wrong clock or unit, never a slow machine.
 */
class ReceiveTimestampTest {
    private static final long SECOND = 1_000_000_000L;

    private static long realtimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * SECOND + now.getNano();
    }

    private static void assumeOwnSockets() {
        assumeTrue(Epoll.isAvailable() && LoopSocket.isSupported() && RealtimeClock.create().isPresent(),
                "needs epoll and recvmmsg/clock_gettime through FFM (a JDK 22+ on Linux)");
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** A socket as a media loop's (Netty's, non-blocking), on loopback. */
    private static LinuxSocket bound() throws Exception {
        assumeOwnSockets();
        LinuxSocket s = LinuxSocket.newSocketDgram();
        s.bind(loopback());
        return s;
    }

    @Test
    void aDatagramSentOverLoopbackCarriesItsKernelReceiveTime() throws Exception {
        LinuxSocket s = bound();
        try (DatagramSocket sender = new DatagramSocket(loopback())) {
            assertThat(LoopSocket.enableReceiveTimestamps(s.intValue())).isTrue();
            ReceiveBatch reads = ReceiveBatch.create(s.intValue()).orElseThrow();
            RealtimeClock clock = RealtimeClock.create().orElseThrow();

            long before = realtimeNanos();
            byte[] payload = {(byte) 0x80, 96, 0, 1};
            sender.send(new DatagramPacket(payload, payload.length, s.localAddress()));
            int n = readWithin(reads, 5_000);
            long after = clock.nanos();

            assertThat(n).isEqualTo(1);
            assertThat(reads.length(0)).isEqualTo(4);
            long stamp = reads.timestamp(0);
            assertThat(stamp).as("timestamp present").isPositive();
            // CLOCK_REALTIME in ns: after the send started (1 s slack for clock granularity), not after the read
            assertThat(stamp).isBetween(before - SECOND, after + SECOND);
            assertThat(Math.abs(after - realtimeNanos())).as("clock_gettime agrees with Instant.now()").isLessThan(SECOND);
        } finally {
            s.close();
        }
    }

    @Test
    void withoutTheSocketOptionThereIsNoTimestamp() throws Exception {
        LinuxSocket s = bound();
        try (DatagramSocket sender = new DatagramSocket(loopback())) {
            ReceiveBatch reads = ReceiveBatch.create(s.intValue()).orElseThrow();
            sender.send(new DatagramPacket(new byte[8], 8, s.localAddress()));
            assertThat(readWithin(reads, 5_000)).isEqualTo(1);
            assertThat(reads.timestamp(0)).isZero();
        } finally {
            s.close();
        }
    }

    /**
     * One sample per forwarded copy, at the sendmmsg that carries it: copies spanning two full
     * batches count each at its own send, and datagrams that forward nothing (receive time 0) never.
     */
    @Test
    void aBatchRecordsTheDelayOfEveryForwardedCopyAtItsSend() throws Exception {
        LinuxSocket out = bound();
        try (DatagramSocket sink = new DatagramSocket(loopback())) {
            ForwardingDelay delay = new ForwardingDelay();
            DatagramBatch batch = DatagramBatch.create(out.intValue(), new MuxCounters(), delay).orElseThrow();
            byte[] to = DatagramBatch.sockaddr((InetSocketAddress) sink.getLocalSocketAddress());
            byte[] packet = new byte[100];
            long first = realtimeNanos() - 2_000_000, second = first + 1_000_000;

            for (int i = 0; i < 100; i++) batch.add(packet, 0, packet.length, to, first);   // 64 sent, 36 queued
            assertThat(delay.snapshot().count()).as("the full batch's copies, at its send").isEqualTo(64);
            batch.add(packet, 0, packet.length, to, 0);                                     // an RTCP, say
            for (int i = 0; i < 3; i++) batch.add(packet, 0, packet.length, to, second);
            assertThat(delay.snapshot().count()).as("nothing recorded before it is sent").isEqualTo(64);
            batch.flush();

            ForwardingDelay.Snapshot s = delay.snapshot();
            assertThat(s.count()).isEqualTo(103);
            // each at least the 1 or 2 ms it was made to be old (loose upper bound: a wrong unit or clock)
            assertThat(s.sumSeconds()).isBetween(100 * 0.002 + 3 * 0.001, 103 * 60.0);

            batch.add(packet, 0, packet.length, to, 0);
            batch.flush();
            assertThat(delay.snapshot().count()).as("nothing forwarded, nothing recorded").isEqualTo(103);
        } finally {
            out.close();
        }
    }

    private static int readWithin(ReceiveBatch reads, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            int n = reads.read();
            if (n > 0) {
                return n;
            }
            Thread.sleep(5);
        }
        return 0;
    }
}
