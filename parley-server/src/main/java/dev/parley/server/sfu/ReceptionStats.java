package dev.parley.server.sfu;

import dev.parley.rtc.rtcp.RtcpWriter;

/**
 * Reception statistics of one up track for its receiver reports (RFC 3550 §6.4.1, A.3, A.8):
 * extended highest sequence number, cumulative and fractional loss, interarrival jitter.
 */
final class ReceptionStats {
    private final int clockRate;
    private boolean started;
    private int baseSeq;
    private int maxSeq;
    private long cycles;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransit;
    private boolean hasTransit;

    ReceptionStats(int clockRate) {
        this.clockRate = clockRate;
    }

    void received(int seq, long rtpTimestamp, long nowNanos) {
        if (!started) {
            started = true;
            baseSeq = seq;
            maxSeq = seq;
        } else {
            int delta = (seq - maxSeq) & 0xFFFF;
            if (delta < 0x8000 && delta != 0) {
                if (seq < maxSeq) {
                    cycles += 0x10000;
                }
                maxSeq = seq;
            }
        }
        received++;
        long arrival = nowNanos / 1000 * clockRate / 1_000_000;
        long transit = arrival - rtpTimestamp;
        if (hasTransit) {
            long d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        hasTransit = true;
    }

    /**
     * Appends this source's report block to the RR at {@code packetOff}.
     *
     * @param lastSr middle 32 bits of the presenter's last SR NTP time, 0 if none
     * @param lastSrArrivalNanos when that SR arrived
     */
    int addReportBlock(byte[] buf, int packetOff, long ssrc, long nowNanos, long lastSr, long lastSrArrivalNanos) {
        if (!started) {
            return -1;
        }
        long extendedMax = cycles + maxSeq;
        long expected = extendedMax - baseSeq + 1;
        long lost = expected - received;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long dlsr = lastSr == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
        return RtcpWriter.addReportBlock(buf, packetOff, ssrc, Math.min(fraction, 255), (int) lost,
                extendedMax & 0xFFFFFFFFL, (long) jitter, lastSr, dlsr);
    }
}
