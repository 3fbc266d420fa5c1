package dev.parley.bench.impair;

import java.util.SplittableRandom;

/**
 * The downlink of one emulated subscriber, applied in userspace to the datagrams its socket
 * received from the server (the kernel here has no {@code sch_netem}): random loss, then a token
 * bucket bottleneck with a drop-tail queue, then a fixed delay. Datagrams that are not delivered at
 * once wait, copied, in a preallocated FIFO ring; they leave in arrival order because both the
 * bottleneck's departure times and the fixed delay keep that order. One thread (the peer's reader)
 * calls everything; no allocation after construction.
 */
public final class LinkImpairment {
    /** What happened to an offered datagram. */
    public enum Fate { DELIVER_NOW, QUEUED, LOST, QUEUE_FULL }

    static final int MAX_DATAGRAM = 1600;
    /** The bucket holds at most this much time's worth of tokens (and never less than one datagram). */
    static final long BURST_NANOS = 5_000_000L;

    private final double lossProbability;
    private final long delayNanos;
    private final double nanosPerByte;          // 0: no bottleneck
    private final long burstNanos;
    private final long queueNanos;
    private final SplittableRandom random;
    private final ImpairmentCounters counters;
    private final byte[][] slots;
    private final int[] lengths;
    private final long[] releaseAt;
    private int head, size;
    private long bucketClock = Long.MIN_VALUE;  // tokens(now) = (now - bucketClock) / nanosPerByte bytes

    public LinkImpairment(ImpairmentProfile profile, long seed, ImpairmentCounters counters) {
        this.lossProbability = profile.lossPercent() / 100;
        this.delayNanos = profile.delayMillis() * 1_000_000L;
        this.nanosPerByte = profile.rateBitsPerSecond() == 0 ? 0 : 8e9 / profile.rateBitsPerSecond();
        this.burstNanos = (long) Math.max(BURST_NANOS, MAX_DATAGRAM * nanosPerByte);
        this.queueNanos = profile.queueMillis() * 1_000_000L;
        this.random = new SplittableRandom(seed);
        this.counters = counters;
        // room for 1000 datagrams/s over the delay and the queue, enough for the bench's streams
        int capacity = (int) Math.min(4096, 64 + profile.delayMillis() + (nanosPerByte > 0 ? profile.queueMillis() : 0));
        this.slots = new byte[capacity][MAX_DATAGRAM];
        this.lengths = new int[capacity];
        this.releaseAt = new long[capacity];
    }

    /**
     * Offers a received datagram at {@code now}. On {@link Fate#DELIVER_NOW} the caller handles
     * {@code b} itself; on {@link Fate#QUEUED} a copy waits for {@link #poll}.
     */
    public Fate offer(byte[] b, int len, long now) {
        counters.arrived.incrementAndGet();
        if (lossProbability > 0 && random.nextDouble() < lossProbability) {
            counters.lost.incrementAndGet();
            return Fate.LOST;
        }
        long departs = now;
        if (nanosPerByte > 0) {
            long cost = (long) (len * nanosPerByte);
            long clock = Math.max(bucketClock, now - burstNanos);   // a full bucket holds no more
            departs = Math.max(now, clock + cost);
            if (departs - now > queueNanos) {
                counters.queueDrops.incrementAndGet();
                return Fate.QUEUE_FULL;
            }
            bucketClock = clock + cost;
        }
        long release = departs + delayNanos;
        if (release <= now && size == 0) {
            return Fate.DELIVER_NOW;
        }
        if (size == slots.length || len > MAX_DATAGRAM) {
            counters.queueDrops.incrementAndGet();
            return Fate.QUEUE_FULL;
        }
        int tail = (head + size) % slots.length;
        System.arraycopy(b, 0, slots[tail], 0, len);
        lengths[tail] = len;
        releaseAt[tail] = release;
        size++;
        return Fate.QUEUED;
    }

    /** When the next waiting datagram is due ({@link Long#MAX_VALUE} if none waits). */
    public long nextRelease() {
        return size == 0 ? Long.MAX_VALUE : releaseAt[head];
    }

    /** Copies the next datagram due by {@code now} into {@code out}; its length, or -1 if none is due. */
    public int poll(long now, byte[] out) {
        if (size == 0 || releaseAt[head] > now) {
            return -1;
        }
        int len = lengths[head];
        System.arraycopy(slots[head], 0, out, 0, len);
        head = (head + 1) % slots.length;
        size--;
        return len;
    }

    int waiting() {
        return size;
    }
}
