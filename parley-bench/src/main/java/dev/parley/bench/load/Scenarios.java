package dev.parley.bench.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The standard scenarios: fan-out, meeting (N x N) and audio-only conference. */
public final class Scenarios {
    private static final int PARALLEL_JOINS = 4;
    /**
     * At most this many joins per second: every join sends a "user" message to every member, and a
     * server that drops clients with too many queued messages (W7) would drop healthy ones in a burst.
     */
    private static final int JOINS_PER_SECOND = 25;

    private Scenarios() {
    }

    /** One publisher, N subscribers that take its audio and its full-quality video. */
    public static Scenario fanOut(List<Integer> steps, MediaSettings media) {
        return new Scenario() {
            private Participant publisher;
            private int subscribers;

            @Override
            public String name() {
                return "fanout";
            }

            @Override
            public String description() {
                return "1 publisher (" + media.describe() + ") -> N subscribers (audio + video)";
            }

            @Override
            public List<Integer> steps() {
                return steps;
            }

            @Override
            public void grow(LoadContext ctx, int n) throws IOException, InterruptedException {
                if (publisher == null) {
                    publisher = ctx.join();
                    publisher.publish(media);
                }
                int add = n - subscribers;
                parallel(ctx, add, p -> p.request(List.of("audio", "video")));
                subscribers = n;
            }

            @Override
            public int expectedSubscriptions(int n) {
                return n;
            }
        };
    }

    /** N participants, each publishing camera + microphone and receiving everyone else. */
    public static Scenario meeting(List<Integer> steps, MediaSettings media) {
        return conference("meeting", "N participants, each publishing " + media.describe()
                + " and receiving all others", steps, media, List.of("audio", "video"));
    }

    /** N participants, each publishing Opus and receiving everyone else's audio. */
    public static Scenario audioConference(List<Integer> steps) {
        MediaSettings media = MediaSettings.audioOnly();
        return conference("audio", "N participants, each publishing Opus (50 packets/s) and receiving all others",
                steps, media, List.of("audio"));
    }

    private static Scenario conference(String name, String description, List<Integer> steps, MediaSettings media,
            List<String> kinds) {
        return new Scenario() {
            private int size;

            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public List<Integer> steps() {
                return steps;
            }

            @Override
            public void grow(LoadContext ctx, int n) throws IOException, InterruptedException {
                parallel(ctx, n - size, p -> {
                    p.request(kinds);
                    p.publish(media);
                });
                size = n;
            }

            @Override
            public int expectedSubscriptions(int n) {
                return n * (n - 1);
            }
        };
    }

    interface Setup {
        void apply(Participant p) throws IOException;
    }

    /** Joins {@code count} participants, a few at a time, and applies {@code setup} to each. */
    static void parallel(LoadContext ctx, int count, Setup setup) throws IOException, InterruptedException {
        if (count <= 0) {
            return;
        }
        ExecutorService joins = Executors.newFixedThreadPool(Math.min(PARALLEL_JOINS, count));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    Thread.sleep(1000 / JOINS_PER_SECOND);
                }
                done.add(joins.submit(() -> {
                    setup.apply(ctx.join());
                    return null;
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException("a participant failed to join: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            joins.shutdown();
        }
    }
}
