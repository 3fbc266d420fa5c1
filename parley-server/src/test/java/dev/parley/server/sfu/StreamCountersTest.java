package dev.parley.server.sfu;

import dev.parley.rtc.rtcp.RtcpWriter;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The totals that {@code /metrics} reads (issue 15): counted where the SFU already does the
 * work, summed over live and closed streams, and free per packet (measured in bytes allocated).
 * Recording transports, one thread.
 */
class StreamCountersTest {
    final DownTrackLayerTest.RecordingTransport upTransport = new DownTrackLayerTest.RecordingTransport();
    final UpStream up = SfuFixtures.upStream("u", upTransport);
    final UpTrack track = new UpTrack(up, SfuFixtures.videoSection("0", 0x1234), null, 0x1234);
    final DownTrackLayerTest.RecordingTransport downTransport = new DownTrackLayerTest.RecordingTransport();
    final DownStream downStream = new DownStream(up);
    final DownTrack down;

    StreamCountersTest() {
        downStream.setTransport(downTransport);
        down = new DownTrack(downStream, track, 0x5678, 0);
        track.attach(down, 0);
    }

    /** Packets 1000..1019 but 1010; returns the bytes received. */
    long receiveTwentyLosingOne() {
        long bytes = 0;
        long t = 1_000_000_000L;
        for (int seq = 1000; seq < 1020; seq++, t += 5_000_000L) {
            if (seq == 1010) {
                continue;
            }
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, seq == 1000);
            bytes += p.length;
            track.receive(p, 0, p.length, t);
        }
        return bytes;
    }

    @Test
    void receivedForwardedNackedResentAndKeyframeRequestsAreCounted() {
        long received = receiveTwentyLosingOne();
        StreamCounters in = up.counters();
        StreamCounters out = downStream.counters();
        assertThat(in.get(StreamCounters.PACKETS)).isEqualTo(19);
        assertThat(in.get(StreamCounters.BYTES)).isEqualTo(received);
        assertThat(in.get(StreamCounters.NACKS)).as("the server NACKs the gap itself (MD13)").isPositive();
        assertThat(out.get(StreamCounters.PACKETS)).isEqualTo(19).isEqualTo(downTransport.rtp.size());
        assertThat(out.get(StreamCounters.BYTES)).isEqualTo(downTransport.rtp.stream().mapToLong(p -> p.length).sum());

        int cachedSeq = DownTrackLayerTest.decode(downTransport.rtp.get(3)).seq();
        down.nacked(cachedSeq);
        assertThat(out.get(StreamCounters.NACKS)).isEqualTo(1);
        assertThat(out.get(StreamCounters.RETRANSMISSIONS)).isEqualTo(1);
        assertThat(downTransport.rtp).hasSize(20);
        assertThat(out.get(StreamCounters.PACKETS)).as("a resend is not a forwarded packet").isEqualTo(19);

        byte[] pli = new byte[64];
        int n = RtcpWriter.pli(pli, 0, 1, 0x5678);
        downStream.onRtcp(pli, 0, n);
        assertThat(out.get(StreamCounters.PLIS)).isEqualTo(1);
        assertThat(in.get(StreamCounters.PLIS)).as("the receiver's PLI goes to the presenter (MD11)").isEqualTo(1);
    }

    @Test
    void totalsKeepTheCountsOfClosedStreams() {
        long received = receiveTwentyLosingOne();
        Set<UpStream> ups = new java.util.HashSet<>(Set.of(up));
        Set<DownStream> downs = new java.util.HashSet<>(Set.of(downStream));
        MediaTotals totals = new MediaTotals(ups, downs);
        assertThat(totals.fromPresenters(MediaTotals.Counter.BYTES)).isEqualTo(received);
        assertThat(totals.toReceivers(MediaTotals.Counter.PACKETS)).isEqualTo(19);
        assertThat(totals.presenterStreams()).isEqualTo(1);

        ups.remove(up);
        totals.retire(up.counters(), true);
        downs.remove(downStream);
        totals.retire(downStream.counters(), false);
        assertThat(totals.fromPresenters(MediaTotals.Counter.BYTES)).isEqualTo(received);
        assertThat(totals.toReceivers(MediaTotals.Counter.PACKETS)).isEqualTo(19);
        assertThat(totals.presenterStreams()).isZero();
        assertThat(totals.receiverStreams()).isZero();
    }

    static void assumeAllocationsMeasurable() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
    }

    /** Bytes this thread has allocated so far. */
    static long allocatedBytes() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return bean.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    /** A connected transport that sends nothing and allocates nothing. */
    static final class DiscardingTransport implements MediaTransport {
        long rtpBytes;

        @Override public LocalEndpoint local() { return null; }
        @Override public void setRemoteFingerprint(dev.parley.rtc.sdp.Fingerprint fingerprint) { }
        @Override public void setRemoteUfrag(String ufrag) { }
        @Override public LocalEndpoint restartIce(String ufrag) { return null; }
        @Override public boolean isConnected() { return true; }
        @Override public void sendRtp(byte[] buf, int off, int len) { rtpBytes += len; }
        @Override public void sendRtcp(byte[] buf, int off, int len) { }
        @Override public void execute(Runnable task) { task.run(); }
        @Override public void close() { }
    }

    @Test
    void receivingAndForwardingWithTheCountersAllocatesNothingPerPacket() {
        assumeAllocationsMeasurable();
        DiscardingTransport in = new DiscardingTransport();
        DiscardingTransport out = new DiscardingTransport();
        UpStream presenter = SfuFixtures.upStream("p", in);
        UpTrack audio = new UpTrack(presenter, SfuFixtures.audioSection("0", 0x4321), null, 0x4321);
        DownStream receiver = new DownStream(presenter);
        receiver.setTransport(out);
        audio.attach(new DownTrack(receiver, audio, 0x8765, 0), 0);
        byte[] p = SfuFixtures.packet(111, 0, 0, 0x4321);
        int n = 100_000;
        long before = 0;
        for (int round = 0; round < 2; round++) {               // the first round warms up
            if (round == 1) {
                before = allocatedBytes();
            }
            for (int i = round * n; i < (round + 1) * n; i++) {
                dev.parley.rtc.rtp.RtpWriter.writeHeader(p, 0, false, 111, i & 0xFFFF, 960L * i, 0x4321);
                audio.receive(p, 0, p.length, 20_000_000L * i);
            }
        }
        long allocated = allocatedBytes() - before;
        assertThat(receiver.counters().get(StreamCounters.PACKETS)).isEqualTo(2L * n);
        assertThat(receiver.counters().get(StreamCounters.BYTES)).isEqualTo(out.rtpBytes);
        assertThat(presenter.counters().get(StreamCounters.PACKETS)).isEqualTo(2L * n);
        assertThat(allocated).as("bytes allocated over %d received and forwarded packets", n).isLessThan(4096);
    }

    @Test
    void aCounterUpdateAllocatesNothing() {
        assumeAllocationsMeasurable();
        StreamCounters c = new StreamCounters();
        for (int i = 0; i < 200_000; i++) {                 // warm up, so that the measured loop is compiled
            c.packet(1200);
        }
        long before = allocatedBytes();
        for (int i = 0; i < 200_000; i++) {
            c.packet(1200);
            c.add(StreamCounters.NACKS, 1);
        }
        long allocated = allocatedBytes() - before;
        assertThat(c.get(StreamCounters.PACKETS)).isEqualTo(400_000);
        assertThat(c.get(StreamCounters.BYTES)).isEqualTo(400_000L * 1200);
        assertThat(allocated).as("bytes allocated over 200000 updates").isLessThan(4096);
    }
}
