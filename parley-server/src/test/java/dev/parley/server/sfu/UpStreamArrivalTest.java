package dev.parley.server.sfu;

import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import dev.parley.rtc.rtcp.TransportFeedbackReader;
import dev.parley.rtc.rtp.RtpWriter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #14: what the up path reports to the presenter about the network — transport-cc
 * feedback, receiver report jitter (MD9), upstream NACKs (MD13) — is measured from when each
 * packet arrived at the machine, not from when the media loop got round to it. Synthetic times:
 * packets 5 ms apart on the wire, handled in one burst after the loop was busy.
 */
class UpStreamArrivalTest {
    private static final long MS = 1_000_000;
    private static final long T0 = 10_000 * MS;
    private static final int TCC_ID = 3;
    private static final long SSRC = 0x5050;

    /** Records what the stream sends; its packets waited {@code waitedNanos} in the socket. */
    private static final class Transport implements MediaTransport {
        final List<byte[]> rtcp = new ArrayList<>();
        final long waitedNanos;

        Transport(long waitedNanos) {
            this.waitedNanos = waitedNanos;
        }

        @Override public LocalEndpoint local() { return null; }
        @Override public void setRemoteFingerprint(dev.parley.rtc.sdp.Fingerprint fingerprint) { }
        @Override public void setRemoteUfrag(String ufrag) { }
        @Override public LocalEndpoint restartIce(String ufrag) { return null; }
        @Override public boolean isConnected() { return true; }
        @Override public void sendRtp(byte[] buf, int off, int len) { }
        @Override public void sendRtcp(byte[] buf, int off, int len) { rtcp.add(java.util.Arrays.copyOfRange(buf, off, off + len)); }
        @Override public void execute(Runnable task) { task.run(); }
        @Override public void close() { }

        @Override
        public long arrivalNanos(long nowNanos) {
            return nowNanos - waitedNanos;
        }
    }

    private final Transport transport = new Transport(0);
    private final UpStream up = stream(transport);

    private static UpStream stream(Transport t) {
        UpStream s = SfuFixtures.upStream("u", t);
        UpSection v = SfuFixtures.videoSection("0", SSRC);
        s.setSections(List.of(new UpSection("0", "video", v.codec(), 96, List.of(), null, List.of(SSRC), -1, -1,
                true, true, true, TCC_ID, null)));
        return s;
    }

    /** A 200-byte packet with the transport-wide sequence number in one-byte extension 3. */
    private static byte[] packet(int seq, int transportSeq) {
        byte[] p = new byte[200];
        RtpWriter.writeHeader(p, 0, false, 96, seq, 3000L * seq, SSRC);
        p[0] |= 0x10;                                                   // X
        p[12] = (byte) 0xBE;
        p[13] = (byte) 0xDE;
        p[15] = 1;                                                      // one 32-bit word
        p[16] = (byte) (TCC_ID << 4 | 1);                               // id 3, two bytes
        p[17] = (byte) (transportSeq >> 8);
        p[18] = (byte) transportSeq;
        return p;
    }

    private void receive(int seq, long arrival, long now) {
        byte[] p = packet(seq, seq);
        up.receive(p, 0, p.length, arrival, now);
    }

    /** Arrival (µs) of each reported sequence number, over all feedback sent so far. */
    private List<Long> reportedArrivals() {
        TransportFeedbackReader reader = new TransportFeedbackReader();
        List<Long> out = new ArrayList<>();
        for (byte[] p : transport.rtcp) {
            RtcpReader.read(p, 0, p.length, new RtcpHandler() {
                @Override
                public void onTransportFeedback(long sender, long media, byte[] buf, int off, int len) {
                    reader.read(buf, off, len, (seq, micros) -> out.add(micros));
                }
            });
        }
        return out;
    }

    private static List<Long> deltasMicros(List<Long> arrivals) {
        List<Long> d = new ArrayList<>();
        for (int i = 1; i < arrivals.size(); i++) {
            d.add(arrivals.get(i) - arrivals.get(i - 1));
        }
        return d;
    }

    /** Ten packets 5 ms apart on the wire, all handled within 10 µs 60 ms later, then one more 50 ms on. */
    private void burst(boolean kernelArrival) {
        long handled = T0 + 60 * MS;
        for (int i = 0; i < 10; i++) {
            long arrival = T0 + i * 5 * MS;
            receive(i + 1, kernelArrival ? arrival : handled + i * 1000, handled + i * 1000);
        }
        receive(11, kernelArrival ? T0 + 50 * MS : handled + 50 * MS, handled + 50 * MS);   // feedback due again
    }

    @Test
    void transportCcFeedbackCarriesTheWireSpacingOfPacketsHandledInABurst() {
        burst(true);
        List<Long> arrivals = reportedArrivals();
        assertThat(arrivals).hasSize(11);
        assertThat(deltasMicros(arrivals)).containsOnly(5_000L);
    }

    /** What it did before: the presenter saw ten packets arrive at once after a 60 ms queue. */
    @Test
    void withoutAKernelArrivalTheFeedbackShowsTheLoopsBurst() {
        burst(false);
        List<Long> d = deltasMicros(reportedArrivals());
        assertThat(d.subList(0, 9)).allSatisfy(x -> assertThat(x).isLessThan(250L));
    }

    /** RTP timestamps advance 3000 ticks (33 ms at 90 kHz) per packet; packets arrive exactly that far apart. */
    @Test
    void MD9_receiverReportJitterIsMeasuredFromArrival() {
        assertThat(jitterAfter(true)).isZero();
        assertThat(jitterAfter(false)).as("the same packets stamped when handled in bursts of five").isPositive();
    }

    private long jitterAfter(boolean kernelArrival) {
        Transport t = new Transport(0);
        UpStream s = stream(t);
        long frame = 3000 * MS / 90;                              // 33.3 ms
        for (int i = 0; i < 20; i++) {
            long arrival = T0 + i * frame;
            long handled = T0 + (i / 5 + 1) * 5 * frame;            // the loop reads every fifth frame time
            byte[] p = packet(i + 1, i + 1);
            s.receive(p, 0, p.length, kernelArrival ? arrival : handled, handled);
        }
        s.tick(T0 + 25 * frame);
        long[] jitter = {-1};
        for (byte[] p : t.rtcp) {
            RtcpReader.read(p, 0, p.length, new RtcpHandler() {
                @Override
                public void onReceptionReport(long reporter, long source, int fractionLost, int cumulativeLost,
                                              long highest, long j, long lsr, long dlsr) {
                    jitter[0] = j;
                }
            });
        }
        assertThat(jitter[0]).as("a receiver report was sent").isNotNegative();
        return jitter[0];
    }

    /** MD13: a gap is NACKed 20 ms after the packet that shows it arrived, even if that was before the loop read it. */
    @Test
    void MD13_aGapIsNackedTwentyMsAfterThePacketShowingItArrived() {
        receive(1, T0, T0);
        receive(2, T0 + 5 * MS, T0 + 5 * MS);
        receive(6, T0 + 10 * MS, T0 + 35 * MS);                  // 3-5 lost; read 25 ms after it arrived
        assertThat(nacks()).as("due at 30 ms, handled at 35").isNotEmpty();
    }

    @Test
    void MD13_withoutAKernelArrivalTheGapWaitsTwentyMsFromTheRead() {
        receive(1, T0, T0);
        receive(2, T0 + 5 * MS, T0 + 5 * MS);
        receive(6, T0 + 35 * MS, T0 + 35 * MS);
        assertThat(nacks()).isEmpty();
    }

    /** The arrival reaches the stream through its transport ({@link MediaTransport#arrivalNanos}). */
    @Test
    void onRtpTakesTheArrivalItsTransportGives() {
        Transport t = new Transport(40 * MS);                     // each waited 40 ms in the socket
        UpStream s = stream(t);
        for (int seq : new int[]{1, 2, 6}) {
            byte[] p = packet(seq, seq);
            s.onRtp(p, 0, p.length);
        }
        assertThat(nacksIn(t)).as("the gap was due 20 ms after an arrival 40 ms ago").isNotEmpty();
    }

    private List<Integer> nacks() {
        return nacksIn(transport);
    }

    private static List<Integer> nacksIn(Transport t) {
        List<Integer> out = new ArrayList<>();
        for (byte[] p : t.rtcp) {
            RtcpReader.read(p, 0, p.length, new RtcpHandler() {
                @Override
                public void onNack(long sender, long media, int pid, int blp) {
                    out.add(pid);
                }
            });
        }
        return out;
    }
}
