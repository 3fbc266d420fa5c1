package dev.parley.server.nack;

import dev.parley.rtc.rtp.Seq16;

/**
 * Decides which sequence numbers of an up track to NACK to the presenter (MD13).
 *
 * <p>A gap is noticed when a later packet arrives. A missing packet is NACKed once it is late by
 * at least two packets and at least {@value #MIN_DELAY_MS} ms, whichever comes later (the
 * reference server's trigger, like TCP's duplicate-ack threshold), then again every retry
 * interval (RTT-based, set by the caller) for at most {@value #MAX_TRIES} tries. An arrival removes
 * it. At most {@value #CAPACITY} missing packets are tracked; the oldest are forgotten first, and
 * a jump of more than {@value #MAX_GAP} packets either way resets the state (nothing would be
 * recoverable).
 *
 * <p>Time is passed in (milliseconds, any monotonic origin). Single-threaded; no allocation.
 */
public final class NackGenerator {
    public static final int MAX_TRIES = 10;
    public static final int MIN_DELAY_MS = 20;
    public static final int MIN_LATE_PACKETS = 2;
    static final int CAPACITY = 256;
    static final int MAX_GAP = 512;

    private final int[] seqs = new int[CAPACITY];
    private final long[] dueAt = new long[CAPACITY];
    private final long[] sentAt = new long[CAPACITY];
    private final int[] tries = new int[CAPACITY];
    private int size;

    private int highest = -1;
    private long retryIntervalMs = 100;
    private long roundTripMs = -1;

    /** Minimum time between two NACKs of the same packet; use about one RTT (at least 10 ms). */
    public void setRetryIntervalMs(long ms) {
        retryIntervalMs = Math.max(10, ms);
    }

    /** Records an arriving packet. */
    public void onPacket(int seq, long nowMs) {
        seq &= 0xFFFF;
        if (highest < 0) {
            highest = seq;
            return;
        }
        int d = Seq16.delta(highest, seq);
        if (d > 0) {
            if (d > MAX_GAP) {
                size = 0;
            } else {
                for (int s = 1; s < d; s++) {
                    add((highest + s) & 0xFFFF, nowMs + MIN_DELAY_MS);
                }
            }
            highest = seq;
        } else if (d < -MAX_GAP) {
            // the source went back a long way (restart): follow it
            size = 0;
            highest = seq;
        } else if (d < 0) {
            int i = indexOf(seq);
            if (i >= 0) {
                if (tries[i] == 1) {
                    roundTripMs = nowMs - sentAt[i];    // one NACK, one answer: a clean sample
                }
                removeAt(i);
            }
        }
    }

    /**
     * Asks for {@code seq} on a receiver's behalf (MD13): unless it is already tracked, it is
     * NACKed {@code delayMs} from now if it has not arrived by then. Ignored for packets not
     * older than the highest seen (not missing yet) or too old to recover.
     */
    public void request(int seq, long nowMs, long delayMs) {
        seq &= 0xFFFF;
        if (highest < 0 || indexOf(seq) >= 0) {
            return;
        }
        int d = Seq16.delta(seq, highest);
        if (d <= 0 || d > MAX_GAP) {
            return;
        }
        add(seq, nowMs + delayMs);
    }

    /** The time between the last NACK answered after one try and its packet's arrival; -1 before any. */
    public long roundTripMs() {
        return roundTripMs;
    }

    /**
     * Writes the sequence numbers to NACK now into {@code out} (in increasing order, ready for
     * {@code RtcpWriter.nack}) and counts a try for each.
     *
     * @return how many were written (at most {@code out.length})
     */
    public int collect(long nowMs, int[] out) {
        int n = 0;
        int i = 0;
        while (i < size && n < out.length) {
            int late = Seq16.delta(seqs[i], highest);
            boolean due = late >= MIN_LATE_PACKETS && nowMs >= dueAt[i]
                    && (tries[i] == 0 || nowMs - sentAt[i] >= retryIntervalMs);
            if (due) {
                out[n++] = seqs[i];
                sentAt[i] = nowMs;
                if (++tries[i] >= MAX_TRIES) {
                    removeAt(i);
                    continue;
                }
            }
            i++;
        }
        return n;
    }

    /** Number of packets currently considered missing. */
    public int missing() {
        return size;
    }

    public boolean isMissing(int seq) {
        return indexOf(seq & 0xFFFF) >= 0;
    }

    private void add(int seq, long due) {
        if (size == CAPACITY) {
            removeAt(0);
        }
        seqs[size] = seq;
        dueAt[size] = due;
        sentAt[size] = 0;
        tries[size] = 0;
        size++;
    }

    private int indexOf(int seq) {
        for (int i = 0; i < size; i++) {
            if (seqs[i] == seq) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int i) {
        int tail = size - i - 1;
        System.arraycopy(seqs, i + 1, seqs, i, tail);
        System.arraycopy(dueAt, i + 1, dueAt, i, tail);
        System.arraycopy(sentAt, i + 1, sentAt, i, tail);
        System.arraycopy(tries, i + 1, tries, i, tail);
        size--;
    }
}
