package dev.parley.server.seqmap;

import dev.parley.rtc.rtp.Seq16;

/**
 * Per-subscriber sequence-number (and VP8 picture-id) remapping that keeps the forwarded stream
 * contiguous when the forwarder drops packets (layer filtering, MD7), so that receivers see no
 * phantom losses (pitfall 2).
 *
 * <p>Semantics (those of the reference server's packet map):
 * <ul>
 * <li>A drop is absorbed only if it is the next packet in order ({@link #drop} returns false
 * otherwise, and the caller should forward the packet instead).</li>
 * <li>Packets that arrive late keep the offset of the stretch they belong to; dropped sequence
 * numbers never map ({@link #map} returns -1), and neither do NACKs for them
 * ({@link #reverse}).</li>
 * <li>A jump of more than {@value #MAX_JUMP} resets the history (not the offset).</li>
 * </ul>
 *
 * <p>History is a ring of {@value #HISTORY} stretches; older ones are forgotten and their
 * packets no longer map. Single-threaded, allocation-free after construction.
 */
public final class SeqMap {
    static final int MAX_JUMP = 8192;
    static final int HISTORY = 64;
    private static final int PID_MASK = 0x7FFF;

    private boolean started;
    private int next; // next expected input seq
    private int delta; // out = in + delta (mod 2^16) for the current stretch
    private int pidDelta; // out pid = in pid - pidDelta (mod 2^15)
    private int lastPid = -1;

    // stretches of input seqs [first, first+count) mapped with (delta, pidDelta); index 'current'
    // is the open stretch, whose count grows with 'next'
    private final int[] first = new int[HISTORY];
    private final int[] count = new int[HISTORY];
    private final int[] deltas = new int[HISTORY];
    private final int[] pidDeltas = new int[HISTORY];
    private int current;
    private int stretches;

    private int lastPidDelta;

    /**
     * Maps an input seq to the output seq for this subscriber.
     *
     * @param pictureId the packet's VP8 picture id, or -1 if none
     * @return the output seq, or -1 if the packet must not be sent (it was dropped before, or
     *         is too old to know); after success {@link #pictureIdDelta()} tells how to rewrite the
     *         picture id
     */
    public int map(int seq, int pictureId) {
        seq &= 0xFFFF;
        if (!started) {
            started = true;
            openStretch(seq);
            count[current] = 1;
            next = (seq + 1) & 0xFFFF;
            notePid(pictureId);
            lastPidDelta = 0;
            return seq;
        }
        int d = Seq16.delta(next, seq);
        if (d > MAX_JUMP || d < -MAX_JUMP) {
            // the source restarted or we missed a lot: start a new history, same offsets
            stretches = 0;
            openStretch(seq);
            d = 0;
        }
        if (d >= 0) {
            // in order, possibly after upstream losses: those seqs belong to this stretch, so
            // that they map if they arrive late
            next = (seq + 1) & 0xFFFF;
            int span = (next - first[current]) & 0xFFFF;
            if (span > MAX_JUMP || span == 0) {
                // a long stretch: only its recent part matters, and 2^16 packets would wrap
                first[current] = (next - MAX_JUMP) & 0xFFFF;
                span = MAX_JUMP;
            }
            count[current] = span;
            notePid(pictureId);
            lastPidDelta = pidDelta;
            return (seq + delta) & 0xFFFF;
        }
        // late packet: find its stretch, newest first
        int i = current;
        for (int n = 0; n < stretches; n++) {
            int off = (seq - first[i]) & 0xFFFF;
            if (off < count[i]) {
                lastPidDelta = pidDeltas[i];
                return (seq + deltas[i]) & 0xFFFF;
            }
            if (Seq16.delta(first[i], seq) >= 0) {
                return -1; // after this stretch's start but not in it: dropped
            }
            i = (i + HISTORY - 1) % HISTORY;
        }
        return -1;
    }

    /**
     * Drops {@code seq} without leaving a gap in the output.
     *
     * @return true if the drop was absorbed; false if {@code seq} is not the next packet in
     *         order, in which case the caller should send it (through {@link #map}) instead
     */
    public boolean drop(int seq, int pictureId) {
        seq &= 0xFFFF;
        if (!started || seq != next) {
            return false;
        }
        if (pictureId >= 0 && lastPid >= 0 && pictureId != lastPid) {
            // a new picture is being skipped: later pictures move down by the distance
            pidDelta = (pidDelta + ((pictureId - lastPid) & PID_MASK)) & PID_MASK;
        }
        notePid(pictureId);
        delta = (delta - 1) & 0xFFFF;
        next = (seq + 1) & 0xFFFF;
        if (count[current] == 0) {
            // nothing was mapped since the last drop: move the empty stretch along
            first[current] = next;
            deltas[current] = delta;
            pidDeltas[current] = pidDelta;
        } else {
            openStretch(next);
        }
        return true;
    }

    /**
     * Maps an output seq (as NACKed by the receiver) back to the input seq.
     *
     * @return the input seq, or -1 if the output seq was never produced or is too old
     */
    public int reverse(int outSeq) {
        outSeq &= 0xFFFF;
        if (!started) {
            return -1;
        }
        int i = current;
        for (int n = 0; n < stretches; n++) {
            int in = (outSeq - deltas[i]) & 0xFFFF;
            int off = (in - first[i]) & 0xFFFF;
            if (off < count[i]) {
                return in;
            }
            i = (i + HISTORY - 1) % HISTORY;
        }
        return -1;
    }

    /**
     * Picture-id delta for the packet last mapped: the forwarded picture id is
     * {@code (pictureId - pictureIdDelta()) mod 2^15}; pass {@code -pictureIdDelta()} to
     * {@code Vp8Descriptor.addToPictureId}. 0 means no rewrite is needed.
     */
    public int pictureIdDelta() {
        return lastPidDelta;
    }

    private void notePid(int pictureId) {
        if (pictureId >= 0) {
            lastPid = pictureId & PID_MASK;
        }
    }

    private void openStretch(int start) {
        current = stretches == 0 ? 0 : (current + 1) % HISTORY;
        stretches = Math.min(HISTORY, stretches + 1);
        first[current] = start;
        count[current] = 0;
        deltas[current] = delta;
        pidDeltas[current] = pidDelta;
    }
}
