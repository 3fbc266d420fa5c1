package dev.parley.rtc.transport;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The packets other loops hand to one {@link MediaLoop}: one bounded single-producer,
 * single-consumer ring per sending loop, of preallocated datagram-sized slots.
 *
 * <p>Why this shape: a packet crosses loops once per receiving loop (not once per receiver), so the
 * queue must cost little more than a copy. A ring per producer needs no lock and no CAS per packet:
 * the producer writes a slot and publishes it with one volatile store; the consumer reads it back
 * with one volatile load. Slots are copied into, never allocated, so the path allocates nothing.
 * When a ring is full the packet is dropped and counted ({@link MuxCounters#handoffDropped()}),
 * as a congested network would drop it: a stalled loop must not make another loop's memory grow.
 *
 * <p>Wake-ups are coalesced: the producer schedules a drain task on the consumer's event loop only
 * when none is pending (a Dekker pair: producer stores tail then loads the flag, consumer clears the
 * flag then loads the tails; both volatile, so at least one of them sees the other's store).
 */
final class LoopInbox {
    /**
     * Slots per ring (a power of two): a quarter second of a 1000-packet/s stream, 512 KB per pair
     * of loops that exchange packets (rings are created on first use: with 16 loops all talking to
     * each other, 120 MB).
     */
    static final int CAPACITY = 256;
    static final int SLOT_SIZE = UdpMux.MAX_DATAGRAM;

    private final MediaLoop owner;
    private final AtomicReferenceArray<Ring> rings;   // by producer loop index, created on first use
    private final AtomicBoolean drainPending = new AtomicBoolean();
    private final Runnable drainTask = this::drain;

    LoopInbox(MediaLoop owner, int loops) {
        this.owner = owner;
        this.rings = new AtomicReferenceArray<>(loops);
    }

    /** Producer side, on loop {@code from}: copies the packet into a slot. False when the ring is full. */
    boolean offer(MediaLoop from, HandoffTarget target, Object ref, byte[] b, int off, int len, long arg, long receivedNanos) {
        if (len > SLOT_SIZE) {
            throw new IllegalArgumentException("packet of " + len + " bytes is too large to hand off");
        }
        Ring r = rings.get(from.index());
        if (r == null) {
            r = new Ring();                       // once per pair of loops, on the producer
            rings.set(from.index(), r);
        }
        if (!r.offer(target, ref, b, off, len, arg, receivedNanos)) {
            return false;
        }
        if (!drainPending.get() && drainPending.compareAndSet(false, true)) {
            owner.eventLoop().execute(drainTask);
        }
        return true;
    }

    /** Consumer side: runs every queued packet, sends batched until the end. */
    private void drain() {
        drainPending.set(false);
        owner.beginBatch();
        try {
            for (int i = 0; i < rings.length(); i++) {
                Ring r = rings.get(i);
                if (r != null) {
                    r.drain(owner);
                }
            }
        } finally {
            owner.endBatch();
        }
    }

    private static final class Ring {
        private final byte[][] data = new byte[CAPACITY][SLOT_SIZE];
        private final int[] length = new int[CAPACITY];
        private final HandoffTarget[] target = new HandoffTarget[CAPACITY];
        private final Object[] ref = new Object[CAPACITY];
        private final long[] arg = new long[CAPACITY];
        private final long[] received = new long[CAPACITY];  // kernel receive time, for the forwarding delay
        private final AtomicLong tail = new AtomicLong();   // next slot to write; written by the producer
        private final AtomicLong head = new AtomicLong();   // next slot to read; written by the consumer
        private long headCache;                              // producer's last view of head

        boolean offer(HandoffTarget t, Object o, byte[] b, int off, int len, long a, long receivedNanos) {
            long tl = tail.get();
            if (tl - headCache >= CAPACITY) {
                headCache = head.get();
                if (tl - headCache >= CAPACITY) {
                    return false;
                }
            }
            int i = (int) (tl & (CAPACITY - 1));
            System.arraycopy(b, off, data[i], 0, len);
            length[i] = len;
            target[i] = t;
            ref[i] = o;
            arg[i] = a;
            received[i] = receivedNanos;
            tail.set(tl + 1);                                // publishes the slot (volatile store)
            return true;
        }

        void drain(MediaLoop owner) {
            long h = head.get();
            long tl = tail.get();
            while (h < tl) {
                int i = (int) (h & (CAPACITY - 1));
                HandoffTarget t = target[i];
                Object o = ref[i];
                target[i] = null;                            // let closed streams be collected
                ref[i] = null;
                owner.handedOffReceivedAt(received[i]);
                try {
                    t.onHandoff(o, data[i], 0, length[i], arg[i]);
                } catch (RuntimeException e) {
                    owner.handlerError(e);
                } finally {
                    owner.handedOffReceivedAt(0);
                }
                h++;
                head.lazySet(h);                             // frees the slot for the producer (release store)
            }
        }
    }
}
