package dev.parley.client.examples;

import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.JoinedEvent;
import dev.parley.client.ServerConnection;
import dev.parley.client.Stream;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives every stream of a group and writes, per stream and at a fixed interval, how many
 * video frames were decoded, their size, the frame rate over the interval and how many audio
 * samples arrived.
 *
 * <p>usage: {@code FrameStatsReceiver ws://host:port/ws group username password [intervalMs]}
 */
public final class FrameStatsReceiver implements AutoCloseable {

    /** Counters of one down stream; updated on libwebrtc's media threads. */
    public static final class StreamStats {
        final String label;
        final String username;
        final AtomicLong frames = new AtomicLong();
        final AtomicLong audioSamples = new AtomicLong();
        volatile int width;
        volatile int height;
        long framesAtLastReport;

        StreamStats(String label, String username) {
            this.label = label;
            this.username = username;
        }

        /**
         * Video frames decoded so far.
         *
         * @return the count
         */
        public long frames() {
            return frames.get();
        }

        /**
         * Audio samples (per channel) received so far.
         *
         * @return the count
         */
        public long audioSamples() {
            return audioSamples.get();
        }

        /**
         * Width of the last decoded frame.
         *
         * @return pixels; 0 before the first frame
         */
        public int width() {
            return width;
        }

        /**
         * Height of the last decoded frame.
         *
         * @return pixels; 0 before the first frame
         */
        public int height() {
            return height;
        }

        /**
         * The stream's label as offered by the server.
         *
         * @return the label, or null
         */
        public String label() {
            return label;
        }
    }

    private final ServerConnection sc = new ServerConnection();
    private final Map<String, StreamStats> stats = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "frame-stats");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closed = new CountDownLatch(1);
    private final PrintStream out;
    private final long intervalMs;

    private FrameStatsReceiver(PrintStream out, long intervalMs) {
        this.out = out;
        this.intervalMs = intervalMs;
        sc.ondownstream(this::watch);
        sc.onclose((code, reason) -> closed.countDown());
    }

    /**
     * Connects, joins, asks for audio and video of every stream, and starts reporting.
     *
     * @param url        the server's WebSocket endpoint
     * @param group      the group to join
     * @param username   our username
     * @param password   our password
     * @param out        where a line per stream is printed every interval
     * @param intervalMs the reporting interval in milliseconds
     * @return the running receiver; close it to leave
     * @throws Exception when connecting or joining fails or takes more than 10 s, or the
     *                   server refuses the join
     */
    public static FrameStatsReceiver start(String url, String group, String username, String password,
                                           PrintStream out, long intervalMs) throws Exception {
        FrameStatsReceiver r = new FrameStatsReceiver(out, intervalMs);
        r.sc.connect(url).get(10, TimeUnit.SECONDS);
        JoinedEvent joined = r.sc.join(group, username, password).get(10, TimeUnit.SECONDS);
        if (!joined.kind().equals("join")) {
            r.close();
            throw new IllegalStateException("join refused: " + joined.message());
        }
        r.sc.request(Map.of("", List.of("audio", "video")));
        r.timer.scheduleAtFixedRate(r::report, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return r;
    }

    /**
     * The counters of the streams received now.
     *
     * @return a snapshot of per-stream counters by stream id
     */
    public Map<String, StreamStats> stats() {
        return Map.copyOf(stats);
    }

    /**
     * The receiver's connection.
     *
     * @return the connection
     */
    public ServerConnection connection() {
        return sc;
    }

    private void watch(Stream s) {
        StreamStats st = stats.computeIfAbsent(s.id(), k -> new StreamStats(s.label(), s.username()));
        s.ondowntrack((track, transceiver, ms) -> {
            if (track instanceof VideoTrack v) {
                v.addSink(frame -> {
                    st.width = frame.buffer.getWidth();
                    st.height = frame.buffer.getHeight();
                    st.frames.incrementAndGet();
                });
            } else if (track instanceof AudioTrack a) {
                a.addSink((data, bits, rate, channels, count) -> st.audioSamples.addAndGet(count));
            }
        });
        s.onclose(replace -> stats.remove(s.id()));
    }

    private void report() {
        stats.forEach((id, st) -> {
            long frames = st.frames.get();
            double fps = (frames - st.framesAtLastReport) * 1000.0 / intervalMs;
            st.framesAtLastReport = frames;
            out.printf("%s label=%s user=%s frames=%d size=%dx%d fps=%.1f audioSamples=%d%n", id, st.label,
                    st.username, frames, st.width, st.height, fps, st.audioSamples.get());
        });
        out.flush();
    }

    /**
     * Waits until the connection ends.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Stops reporting and closes the connection. */
    @Override
    public void close() {
        timer.shutdownNow();
        sc.close();
    }

    /**
     * Receives and reports until the server closes the connection.
     *
     * @param args the server's URL, the group, the username, the password, and optionally
     *             the interval in milliseconds (default 1000)
     * @throws Exception when the receiver cannot join
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 5) {
            System.err.println("usage: FrameStatsReceiver ws://host:port/ws group username password [intervalMs]");
            System.exit(2);
        }
        long interval = args.length == 5 ? Long.parseLong(args[4]) : 1000;
        try (FrameStatsReceiver r = start(args[0], args[1], args[2], args[3], System.out, interval)) {
            r.awaitClose();
        }
    }
}
