package dev.parley.server.transportcc;

import dev.parley.rtc.rtcp.TransportFeedbackWriter;
import dev.parley.rtc.rtp.Seq16;

import java.util.Arrays;

/**
 * The receiving side of transport-wide congestion control for one presenter's transport: it
 * records when each transport-wide sequence number arrived (a fixed ring, nothing allocated per
 * packet) and turns what has not been reported yet into RTCP transport feedback
 * ({@link TransportFeedbackWriter}). The presenter's own estimator (libwebrtc's delay-based
 * one) reads it and raises or lowers what it sends. Media loop only.
 */
public final class TransportCcFeedback {
    /** How often feedback is sent while packets arrive; libwebrtc's receivers use 50–250 ms. */
    public static final long INTERVAL_NANOS = 50_000_000;
    /** A second of 1000-packet/s video: older unreported arrivals are given up. */
    private static final int RING = 1024;
    private static final int MAX_PACKET = 1200;

    private final long[] sequence = new long[RING];           // extended seq stored in each slot
    private final long[] arrival = new long[RING];            // its arrival, µs
    private final long[] window = new long[RING];              // the unreported run, linear
    private final TransportFeedbackWriter writer = new TransportFeedbackWriter(RING);
    private long highest = -1;                                 // extended
    private long nextToReport = -1;
    private int feedbackCount;
    private long lastSentNanos = Long.MIN_VALUE;

    public TransportCcFeedback() {
        Arrays.fill(sequence, -1);
    }

    /**
     * Records an arriving packet's transport-wide sequence number and when it reached the machine
     * (the kernel's receive time in {@link System#nanoTime()}'s domain, {@code UpStream.receive}):
     * the presenter's estimator reads the spacing of these times, so they must not be when a busy
     * loop got round to the packet (issue #14).
     */
    public void onPacket(int seq, long arrivalNanos) {
        long ext;
        if (highest < 0) {
            ext = seq + (1L << 16);                 // room below for reordered first packets
            nextToReport = ext;
        } else {
            ext = highest + Seq16.delta((int) (highest & 0xFFFF), seq);
        }
        if (ext < nextToReport) {
            return;                                   // already reported lost: too late to matter
        }
        if (ext > highest) {
            highest = ext;
        }
        int slot = (int) (ext & (RING - 1));
        sequence[slot] = ext;
        arrival[slot] = arrivalNanos / 1000;
    }

    /** Whether feedback is due: {@link #INTERVAL_NANOS} since the last, and something to say. */
    public boolean due(long nowNanos) {
        return highest >= nextToReport && highest >= 0
                && (lastSentNanos == Long.MIN_VALUE || nowNanos - lastSentNanos >= INTERVAL_NANOS);
    }

    /**
     * Writes the next feedback packet about the unreported arrivals into {@code buf[off]}.
     * Call again while it returns more than 0: one packet may not hold everything.
     *
     * @return its length, or 0 when there is nothing (more) to report
     */
    public int write(byte[] buf, int off, long senderSsrc, long mediaSsrc, long nowNanos) {
        if (highest < 0 || highest < nextToReport) {
            return 0;
        }
        if (highest - nextToReport >= RING) {
            nextToReport = highest - RING + 1;        // older ones were overwritten in the ring
        }
        int count = (int) (highest - nextToReport + 1);
        for (int i = 0; i < count; i++) {
            long ext = nextToReport + i;
            int slot = (int) (ext & (RING - 1));
            window[i] = sequence[slot] == ext ? arrival[slot] : TransportFeedbackWriter.NOT_RECEIVED;
        }
        int n = writer.write(buf, off, Math.min(MAX_PACKET, buf.length - off), senderSsrc, mediaSsrc,
                (int) (nextToReport & 0xFFFF), window, 0, count, feedbackCount);
        if (n <= 0) {
            return 0;
        }
        feedbackCount++;
        nextToReport += writer.covered();
        lastSentNanos = nowNanos;
        return n;
    }
}
