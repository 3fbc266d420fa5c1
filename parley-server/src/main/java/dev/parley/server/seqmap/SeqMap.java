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
 *
 * <li>A switch of source ({@link #switchSource}, issue #14: another simulcast layer feeds the
 * down track) starts a new <em>epoch</em>: the new source's numbers, from another sequence space,
 * continue the output where the old source left off. Every stretch remembers its epoch, so a
 * NACK for a packet sent before the switch maps back to the old source's number
 * ({@link #reverse}, {@link #reversedEpoch}), and a resend of it is numbered as it was
 * ({@link #mapInEpoch}).</li>
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
    private final int[] epochs = new int[HISTORY];
    private int current;
    private int stretches;
    private int epoch;

    private int lastPidDelta;
    private int lastReversedEpoch;

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
        // late packet: find its stretch, newest first, in this source's stretches only
        return mapInEpoch(epoch, seq);
    }

    /**
     * Maps {@code seq} of the source of {@code epoch} as it was mapped when forwarded (a resend of
     * a packet that may predate a source switch), or -1 when it was never forwarded or is
     * forgotten. Sets {@link #pictureIdDelta()} as {@link #map} does.
     */
    public int mapInEpoch(int epochOfPacket, int seq) {
        seq &= 0xFFFF;
        if (!started) {
            return -1;
        }
        int i = current;
        for (int n = 0; n < stretches; n++) {
            if (epochs[i] != epochOfPacket) {
                if (epochs[i] < epochOfPacket) {
                    return -1;                        // older stretches belong to earlier sources
                }
                i = (i + HISTORY - 1) % HISTORY;
                continue;
            }
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
        startStretch(next);
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
                lastReversedEpoch = epochs[i];
                return in;
            }
            i = (i + HISTORY - 1) % HISTORY;
        }
        return -1;
    }

    /** The epoch (source) of the packet the last successful {@link #reverse} found. */
    public int reversedEpoch() {
        return lastReversedEpoch;
    }

    /** The epoch of the source being forwarded now (0 until the first {@link #switchSource}). */
    public int epoch() {
        return epoch;
    }

    /**
     * From now on packets come from another source (issue #14): {@code firstSeq}, the first
     * packet of the new source, gets the output number that follows the last one sent, and its
     * picture id {@code pictureId} (-1 if none) the picture id that follows the last one sent.
     * Returns the new epoch. Before anything was mapped this only sets the epoch.
     */
    public int switchSource(int firstSeq, int pictureId) {
        firstSeq &= 0xFFFF;
        epoch++;
        if (!started) {
            return epoch;
        }
        int nextOut = (next + delta) & 0xFFFF;           // what the old source's next packet would get
        delta = (nextOut - firstSeq) & 0xFFFF;
        if (pictureId >= 0 && lastPid >= 0) {
            int lastOutPid = (lastPid - pidDelta) & PID_MASK;
            pidDelta = (pictureId - lastOutPid - 1) & PID_MASK;
        }
        lastPid = -1;
        next = firstSeq;
        startStretch(firstSeq);
        return epoch;
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

    /** A new stretch from {@code start} with the current offsets; an empty open one (nothing mapped since a drop) is moved along. */
    private void startStretch(int start) {
        if (count[current] == 0) {
            first[current] = start;
            deltas[current] = delta;
            pidDeltas[current] = pidDelta;
            epochs[current] = epoch;
        } else {
            openStretch(start);
        }
    }

    private void openStretch(int start) {
        current = stretches == 0 ? 0 : (current + 1) % HISTORY;
        stretches = Math.min(HISTORY, stretches + 1);
        first[current] = start;
        count[current] = 0;
        deltas[current] = delta;
        pidDeltas[current] = pidDelta;
        epochs[current] = epoch;
    }
}
