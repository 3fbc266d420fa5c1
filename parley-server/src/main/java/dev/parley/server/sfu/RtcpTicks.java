package dev.parley.server.sfu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

/**
 * One media loop's periodic RTCP (MD9): every 500 ms a down stream's sender reports to its
 * receiver, every second an up stream's receiver report and REMB to its presenter; run as one
 * task every 50 ms on the loop (a sub-tick), each doing the streams of one
 * {@link TickSlots} slot.
 *
 * <p>Why spread, not all at once: the task holds the loop, and media that arrives meanwhile
 * waits. All of a loop's streams in one task took one compound SRTCP per receiver in one go (at
 * N = 150 about 0.75 ms at 5 µs each, with the estimators' work): added to the p99 of the packets
 * queued behind it. In {@value #SUB_TICKS} slices a sub-tick holds the loop a tenth as long, each
 * stream still reports once per interval and always at the same phase, so its reports stay
 * evenly spaced (an RR/REMB sent late and the next on time would look like a gap and a burst to
 * the presenter's estimator). Chaining bounded batches with {@code loop.execute} between them was
 * the other way: it gives no such phase, and whether media actually gets in between depends on
 * how the event loop orders tasks and reads (Netty's loop may run the tasks queued during its
 * task round before it polls the socket again), which a timer does not. Ten slices: at N = 150 on one loop a sub-tick is 15
 * receivers, well under one packet's fan-out to them; more would add wake-ups for no visible gain.
 *
 * <p>A sub-tick's reports leave together, in one sendmmsg (per 64) at its end, instead of one
 * system call each.
 *
 * <p>Loop-confined: streams join and leave through tasks posted to the loop ({@link
 * MediaService}), never while a slot runs. The sub-tick allocates nothing.
 */
final class RtcpTicks implements Runnable {
    /**
     * Sub-ticks per 500 ms interval by default; {@code -Dparley.rtcpSubTicks=1} ticks all of a
     * loop's streams at once, each report sent on its own, as before (for comparison).
     */
    static final int SUB_TICKS = 10;
    static final String SUB_TICKS_PROPERTY = "parley.rtcpSubTicks";
    static final long INTERVAL_MILLIS = 500;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final TickSlots<DownStream> downs;          // every interval
    private final TickSlots<UpStream> ups;              // every other one
    private final Consumer<Runnable> sendsTogether;
    private final Runnable slots = this::runSlots;
    private final ObjLongConsumer<DownStream> tickDown;
    private final ObjLongConsumer<UpStream> tickUp;
    private final TickSlots.FailureHandler<Object> onFailure;
    private long subTick;
    private long startNanos;
    // written by the loop only, read by /metrics
    private volatile long runs;
    private volatile long cpuNanos;
    private volatile long longestCpuNanos;            // in the current window of WINDOW_NANOS
    private volatile long longestNanos;
    private volatile long earlierCpuNanos;            // in the window before it
    private volatile long earlierNanos;
    private long windowStart;
    /** The longest sub-tick is reported over the last 5-10 s: a maximum since the start would keep a warm-up's. */
    static final long WINDOW_NANOS = 5_000_000_000L;

    RtcpTicks(ObjLongConsumer<DownStream> tickDown, ObjLongConsumer<UpStream> tickUp,
              TickSlots.FailureHandler<Object> onFailure) {
        this(SUB_TICKS, Runnable::run, tickDown, tickUp, onFailure);
    }

    /**
     * {@code subTicks} (1..50) sub-ticks per interval; {@code sendsTogether} runs a sub-tick's work
     * so that the datagrams it sends leave together at its end ({@code MediaLoop.runBatched}).
     */
    RtcpTicks(int subTicks, Consumer<Runnable> sendsTogether, ObjLongConsumer<DownStream> tickDown,
              ObjLongConsumer<UpStream> tickUp, TickSlots.FailureHandler<Object> onFailure) {
        this.sendsTogether = sendsTogether;
        if (subTicks < 1 || subTicks > 50) {
            throw new IllegalArgumentException(SUB_TICKS_PROPERTY + " must be in [1, 50], not " + subTicks);
        }
        this.downs = new TickSlots<>(subTicks);
        this.ups = new TickSlots<>(2 * subTicks);
        this.tickDown = tickDown;
        this.tickUp = tickUp;
        this.onFailure = onFailure;
    }

    /** Starts ticking {@code d} within one interval. On the loop. */
    void add(DownStream d) {
        downs.add(d, slotOfNext(downs));
    }

    void add(UpStream u) {
        ups.add(u, slotOfNext(ups));
    }

    /** Stops ticking {@code d}. On the loop. */
    void remove(DownStream d) {
        downs.remove(d);
    }

    void remove(UpStream u) {
        ups.remove(u);
    }

    /** How often {@link #run} must be called: the interval over the slots. */
    long subTickMillis() {
        return INTERVAL_MILLIS / downs.slots();
    }

    private int slotOfNext(TickSlots<?> slots) {
        return (int) (subTick % slots.slots());
    }

    /** One sub-tick: the down streams and up streams of its slots, timed with their sends. */
    @Override
    public void run() {
        long start = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        startNanos = start;
        sendsTogether.accept(slots);
        long took = THREADS.getCurrentThreadCpuTime() - cpu;
        long wall = System.nanoTime() - start;
        runs = runs + 1;
        cpuNanos = cpuNanos + took;
        if (start - windowStart >= WINDOW_NANOS) {
            earlierCpuNanos = longestCpuNanos;
            earlierNanos = longestNanos;
            longestCpuNanos = 0;
            longestNanos = 0;
            windowStart = start;
        }
        if (took > longestCpuNanos) {
            longestCpuNanos = took;
        }
        if (wall > longestNanos) {
            longestNanos = wall;
        }
    }

    private void runSlots() {
        int down = slotOfNext(downs);
        int up = slotOfNext(ups);
        subTick++;
        downs.run(down, startNanos, tickDown, onFailure);
        ups.run(up, startNanos, tickUp, onFailure);
    }

    /**
     * This loop's sub-ticks so far: how many, their CPU time; the longest of the last 5-10 s in CPU
     * and in wall time. Any thread.
     */
    MediaService.RtcpTickStats stats() {
        return new MediaService.RtcpTickStats(runs, cpuNanos, Math.max(longestCpuNanos, earlierCpuNanos),
                Math.max(longestNanos, earlierNanos));
    }

    /** Streams ticked here: down, up. For tests. */
    int downStreams() {
        return downs.size();
    }

    int upStreams() {
        return ups.size();
    }
}
