package dev.parley.server.sfu;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Running totals of one stream for {@code /metrics}, read at scrape time. For an up stream:
 * what the presenter sent us, the sequence numbers we NACKed to it, the PLIs we sent it. For a
 * down stream: what we forwarded to the receiver, the sequence numbers it NACKed, the packets
 * resent from the cache (and those refused), the PLIs and FIRs it sent, the simulcast layer switches
 * made for it.
 *
 * <p>Each counter has a single writer, the media loop that does its work (today one loop does
 * all), so an update is a plain read and a release store (no lock, no atomic read-modify-write,
 * nothing allocated); any thread may read. Were two loops to write the same counter, updates
 * could be lost (never torn): make that counter a {@code LongAdder} then.
 */
public final class StreamCounters {
    static final int PACKETS = 0;
    static final int BYTES = 1;
    static final int NACKS = 2;
    static final int RETRANSMISSIONS = 3;
    static final int PLIS = 4;
    /** Down streams: times a down track's source moved to another simulcast layer (issue #14). */
    static final int LAYER_SWITCHES = 5;
    /**
     * Down streams: plain (non-RTX) retransmissions not sent because they could not be sent
     * byte-identical to the first sending, as GCM requires of an SRTP index sent again (a marker
     * moved since, or the packet's transport-wide number is forgotten): {@link DownStream#resendRtp}.
     */
    static final int RESENDS_REFUSED = 6;
    static final int SIZE = 7;

    private final AtomicLongArray values = new AtomicLongArray(SIZE);

    /** Media loop only. */
    void add(int counter, long n) {
        values.setRelease(counter, values.getPlain(counter) + n);
    }

    void packet(int bytes) {
        add(PACKETS, 1);
        add(BYTES, bytes);
    }

    long get(int counter) {
        return values.get(counter);
    }
}
