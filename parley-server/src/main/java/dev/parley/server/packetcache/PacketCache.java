package dev.parley.server.packetcache;

import dev.parley.rtc.rtp.Seq16;

/**
 * The per-up-track store of recent packets (spec MD12, MD13): a ring of fixed
 * {@value #SLOT_SIZE}-byte slots indexed by extended sequence number, so lookups are O(1) and a
 * late packet lands in its own slot. It also tracks the last keyframe, a received-packet bitmap
 * over the last {@value #BITMAP_WINDOW} sequence numbers and the counters a receiver report needs.
 *
 * <p>Single-threaded: owned by the media loop that reads the up track. No allocation per packet;
 * {@link #resize} allocates. Packets can be copied in with {@link #store} or decrypted straight
 * into {@link #buffer()} at {@link #slotOffset(int)} of {@link #slotFor(int)}, then committed.
 *
 * <p>Sequence handling follows RFC 3550 A.1: jumps of {@value #MAX_DROPOUT} or more in either
 * direction are taken as a source restart only when the next packet confirms them; until then
 * the packet is refused.
 */
public final class PacketCache {
    /** Largest packet we keep: 1500-byte MTU payloads plus headroom, a multiple of 8. */
    public static final int SLOT_SIZE = 1504;
    public static final int MIN_VIDEO_CAPACITY = 128;
    public static final int MIN_AUDIO_CAPACITY = 24;
    public static final int MAX_CAPACITY = 1024;
    static final int MAX_DROPOUT = 3000;
    static final int BITMAP_WINDOW = 1024;

    private static final int FLAG_MARKER = 1;
    private static final int FLAG_KEYFRAME = 2;

    private int capacity;
    private byte[] data;
    private long[] slotSeq; // extended seq stored in the slot, -1 if empty
    private int[] slotLength;
    private long[] slotTimestamp;
    private byte[] slotFlags;

    // highest extended seq so far, -1 before the first packet
    private long last = -1;
    private long first = -1; // first extended seq since the last (re)start
    private int probation = -1; // seq that would confirm a restart
    private long keyframe = -1;

    private final long[] received = new long[BITMAP_WINDOW / 64];

    private long intervalExpected;
    private long intervalReceived;
    private long totalExpected;
    private long totalReceived;

    public PacketCache(int capacity) {
        allocate(checkCapacity(capacity));
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("cache capacity " + capacity + " not in [1, " + MAX_CAPACITY + "]");
        }
        return capacity;
    }

    private void allocate(int cap) {
        capacity = cap;
        data = new byte[cap * SLOT_SIZE];
        slotSeq = new long[cap];
        java.util.Arrays.fill(slotSeq, -1);
        slotLength = new int[cap];
        slotTimestamp = new long[cap];
        slotFlags = new byte[cap];
    }

    /**
     * Cache size from the reference server's rule: packet rate × (RTT + 4·jitter) × 4, clamped to
     * [128, 1024] for video and [24, 1024] for audio.
     */
    public static int recommendedCapacity(boolean video, double packetsPerSecond, double rttSeconds,
            double jitterSeconds) {
        double wanted = packetsPerSecond * (rttSeconds + 4 * jitterSeconds) * 4;
        int min = video ? MIN_VIDEO_CAPACITY : MIN_AUDIO_CAPACITY;
        if (!(wanted >= min)) { // also catches NaN
            return min;
        }
        // the epsilon keeps 960.0000001 (floating-point noise) at 960
        return (int) Math.min(MAX_CAPACITY, Math.ceil(wanted - 1e-6));
    }

    public int capacity() {
        return capacity;
    }

    // ---- storing ----

    /**
     * Copies a packet in.
     *
     * @return the slot used, or -1 if the packet was not cached (too big, too old for the ring,
     *         or an unconfirmed sequence jump); statistics are updated either way
     */
    public int store(int seq, long timestamp, boolean keyframe, boolean marker, byte[] src, int off, int len) {
        if (len < 0 || len > SLOT_SIZE) {
            return -1;
        }
        int slot = slotFor(seq);
        if (slot >= 0) {
            System.arraycopy(src, off, data, slot * SLOT_SIZE, len);
        }
        int committed = commit(seq, timestamp, keyframe, marker, slot >= 0 ? len : 0);
        return slot >= 0 ? committed : -1;
    }

    /**
     * The slot where {@code seq} would be stored, or -1 if it would not be cached. Does not change
     * any state, so the caller may decrypt into the slot and then {@link #commit}.
     */
    public int slotFor(int seq) {
        long ext = target(seq & 0xFFFF);
        return ext < 0 ? -1 : (int) (ext % capacity);
    }

    /** Extended seq under which {@code seq} would be stored, or -1. Pure. */
    private long target(int seq) {
        if (last < 0) {
            return seq;
        }
        long ext = extend(seq);
        if (ext < 0) {
            return seq == probation ? restartExtended(seq) : -1;
        }
        return last - ext >= capacity ? -1 : ext;
    }

    /**
     * Records a packet of {@code len} bytes already written at {@link #slotFor}{@code (seq)} and
     * updates the statistics, loss bitmap and keyframe position.
     *
     * @return the slot, or -1 if the packet is not cached
     */
    public int commit(int seq, long timestamp, boolean keyframe, boolean marker, int len) {
        if (len < 0 || len > SLOT_SIZE) {
            return -1;
        }
        seq &= 0xFFFF;
        long ext = last < 0 ? -1 : extend(seq);
        if (ext < 0) {
            if (last >= 0 && seq != probation) {
                probation = (seq + 1) & 0xFFFF;
                return -1;
            }
            restart(seq);
            ext = last;
        } else if (ext > last) {
            intervalExpected += ext - last;
            intervalReceived++;
            clearBitmap(last + 1, ext);
            last = ext;
        } else {
            long age = last - ext;
            // a late or retransmitted packet counts once, when it fills a hole
            if (age < BITMAP_WINDOW && !bit(ext)) {
                intervalReceived++;
                setBit(ext);
            }
            if (age >= capacity) {
                return -1;
            }
        }
        probation = -1;
        setBit(ext);
        int slot = (int) (ext % capacity);
        slotSeq[slot] = ext;
        slotLength[slot] = len;
        slotTimestamp[slot] = timestamp & 0xFFFF_FFFFL;
        slotFlags[slot] = (byte) ((marker ? FLAG_MARKER : 0) | (keyframe ? FLAG_KEYFRAME : 0));
        if (keyframe && ext >= this.keyframe) {
            this.keyframe = ext;
        }
        return slot;
    }

    /** Extended seq for {@code seq} near the highest, or -1 for a jump (or before any packet). */
    private long extend(int seq) {
        if (last < 0) {
            return -1;
        }
        int d = Seq16.delta((int) (last & 0xFFFF), seq & 0xFFFF);
        if (d >= MAX_DROPOUT || d <= -MAX_DROPOUT) {
            return -1;
        }
        long ext = last + d;
        return ext < 0 ? -1 : ext;
    }

    private long restartExtended(int seq) {
        // keep extended numbers increasing across a restart
        return last < 0 ? seq : (((last >>> 16) + 1) << 16) | seq;
    }

    private void restart(int seq) {
        long ext = restartExtended(seq);
        probation = -1;
        java.util.Arrays.fill(slotSeq, -1);
        java.util.Arrays.fill(received, 0);
        keyframe = -1;
        last = ext;
        first = ext;
        intervalExpected++;
        intervalReceived++;
    }

    // ---- reading ----

    /** Slot holding {@code seq}, or -1 if it is not cached. */
    public int slotOf(int seq) {
        long ext = extend(seq);
        if (ext < 0) {
            return -1;
        }
        int slot = (int) (ext % capacity);
        return slotSeq[slot] == ext ? slot : -1;
    }

    /**
     * Copies packet {@code seq} into {@code dst[off]}.
     *
     * @return its length, or -1 if it is not cached or does not fit
     */
    public int get(int seq, byte[] dst, int off) {
        int slot = slotOf(seq);
        if (slot < 0 || off < 0 || off + slotLength[slot] > dst.length) {
            return -1;
        }
        System.arraycopy(data, slot * SLOT_SIZE, dst, off, slotLength[slot]);
        return slotLength[slot];
    }

    /** The backing array of all slots; slot {@code i} starts at {@link #slotOffset(int)}. */
    public byte[] buffer() {
        return data;
    }

    public int slotOffset(int slot) {
        return slot * SLOT_SIZE;
    }

    public int slotLength(int slot) {
        return slotLength[slot];
    }

    public int slotSequenceNumber(int slot) {
        return (int) (slotSeq[slot] & 0xFFFF);
    }

    public long slotTimestamp(int slot) {
        return slotTimestamp[slot];
    }

    public boolean slotMarker(int slot) {
        return (slotFlags[slot] & FLAG_MARKER) != 0;
    }

    public boolean slotKeyframe(int slot) {
        return (slotFlags[slot] & FLAG_KEYFRAME) != 0;
    }

    // ---- keyframes ----

    /**
     * Seq of the newest keyframe packet seen since the stream (re)started, or -1 if none; it may
     * have left the ring since (check {@link #slotOf}). Receivers' NACKs for packets before it
     * need not go upstream (MD13).
     */
    public int lastKeyframe() {
        return keyframe < 0 ? -1 : (int) (keyframe & 0xFFFF);
    }

    /**
     * MD12: true if the newest keyframe is among the last {@code packets} packets and still
     * cached, so a new subscriber can be served from it ({@link #lastKeyframe()} to the highest
     * seq) instead of asking the presenter for one.
     */
    public boolean hasKeyframeWithin(int packets) {
        return keyframe >= 0 && last - keyframe < packets && slotSeq[(int) (keyframe % capacity)] == keyframe;
    }

    // ---- statistics and loss ----

    /** Highest seq seen, or -1 before the first packet. */
    public int lastSequenceNumber() {
        return last < 0 ? -1 : (int) (last & 0xFFFF);
    }

    /** Highest extended seq (cycles in the upper bits), as an RR reports it; -1 before any. */
    public long extendedHighestSequenceNumber() {
        return last < 0 ? -1 : last & 0xFFFF_FFFFL;
    }

    /** True if {@code seq} is among the last {@value #BITMAP_WINDOW} and has been received. */
    public boolean isReceived(int seq) {
        long ext = extend(seq);
        // above the highest, the bitmap's ring still holds the bit of a packet a window ago
        return ext >= 0 && ext <= last && last - ext < BITMAP_WINDOW && bit(ext);
    }

    /**
     * Packets missing among the last {@code n} sequence numbers up to the highest (n ≤ 1024),
     * not counting those before the first packet.
     */
    public int countMissing(int n) {
        int missing = 0;
        for (long e = Math.max(first, last - Math.min(n, BITMAP_WINDOW) + 1); e <= last && e >= 0; e++) {
            if (!bit(e)) {
                missing++;
            }
        }
        return missing;
    }

    /** Packets expected since the last {@link #resetInterval()} (highest-seq based). */
    public long intervalExpected() {
        return intervalExpected;
    }

    public long intervalReceived() {
        return intervalReceived;
    }

    /** RR fraction lost for the current interval, 0..255. */
    public int intervalFractionLost() {
        long lost = intervalExpected - intervalReceived;
        if (intervalExpected <= 0 || lost <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lost << 8) / intervalExpected);
    }

    /** RR cumulative number of packets lost, clamped to 24 signed bits. */
    public int cumulativeLost() {
        long lost = (totalExpected + intervalExpected) - (totalReceived + intervalReceived);
        return (int) Math.max(-0x800000, Math.min(0x7FFFFF, lost));
    }

    /** Starts a new reporting interval (call after sending an RR). */
    public void resetInterval() {
        totalExpected += intervalExpected;
        totalReceived += intervalReceived;
        intervalExpected = 0;
        intervalReceived = 0;
    }

    // ---- resizing ----

    /**
     * Changes the capacity (1..1024), keeping the newest packets that still fit. Allocates; call
     * when the RTT or rate changes noticeably, not per packet. Slot indices change.
     */
    public void resize(int newCapacity) {
        checkCapacity(newCapacity);
        if (newCapacity == capacity) {
            return;
        }
        byte[] oldData = data;
        long[] oldSeq = slotSeq;
        int[] oldLength = slotLength;
        long[] oldTs = slotTimestamp;
        byte[] oldFlags = slotFlags;
        int oldCapacity = capacity;
        allocate(newCapacity);
        for (int i = 0; i < oldCapacity; i++) {
            long ext = oldSeq[i];
            if (ext < 0 || last - ext >= newCapacity) {
                continue;
            }
            int slot = (int) (ext % newCapacity);
            System.arraycopy(oldData, i * SLOT_SIZE, data, slot * SLOT_SIZE, oldLength[i]);
            slotSeq[slot] = ext;
            slotLength[slot] = oldLength[i];
            slotTimestamp[slot] = oldTs[i];
            slotFlags[slot] = oldFlags[i];
        }
    }

    // ---- bitmap ----

    private boolean bit(long ext) {
        int i = (int) (ext % BITMAP_WINDOW);
        return (received[i >>> 6] & (1L << (i & 63))) != 0;
    }

    private void setBit(long ext) {
        int i = (int) (ext % BITMAP_WINDOW);
        received[i >>> 6] |= 1L << (i & 63);
    }

    private void clearBitmap(long from, long to) {
        if (to - from + 1 >= BITMAP_WINDOW) {
            java.util.Arrays.fill(received, 0);
            return;
        }
        for (long e = from; e <= to; e++) {
            int i = (int) (e % BITMAP_WINDOW);
            received[i >>> 6] &= ~(1L << (i & 63));
        }
    }
}
