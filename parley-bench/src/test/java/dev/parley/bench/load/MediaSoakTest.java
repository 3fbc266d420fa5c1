package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerOptions;
import dev.parley.server.util.BlockingIo;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 soak: many publish/subscribe/unpublish cycles through a real in-process server must not
 * leave heap, threads or file descriptors behind. Server and peers share this JVM, so each cycle's
 * peers are closed and dropped from the shared LoadContext before anything is measured.
 */
@Tag("media")
class MediaSoakTest {
    private static final int WARM_UP_CYCLES = 10;
    private static final int CYCLES = 200;
    /** Thread slack: the common ForkJoin pool and the HTTP client's selector pool may grow by a few. */
    private static final int THREAD_SLACK = 4;
    /** Fd slack: jar files and JDK lazily opened files (e.g. /dev/random) during the run. */
    private static final int FD_SLACK = 4;
    private static final String FILE_IO = "file-io-#";

    @Test
    void publishSubscribeUnpublishCyclesLeaveNoHeapThreadsOrFdsBehind(@TempDir Path root) throws Exception {
        Path groups = Files.createDirectories(root.resolve("groups"));
        Files.writeString(groups.resolve("soak.json"),
                "{\"wildcard-user\": {\"password\": {\"type\": \"wildcard\"}, \"permissions\": \"present\"}}");
        ParleyServer server = ParleyServer.start(new ServerOptions("127.0.0.1:0", true, null, root.resolve("data"),
                groups, root.resolve("recordings"), "", "", false, false, List.of("127.0.0.1")));
        URI url = URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws");
        try (LoadContext ctx = new LoadContext(url, "soak", "s", "", SrtpProfile.values())) {
            for (int i = 0; i < WARM_UP_CYCLES; i++) {
                cycle(ctx);
            }
            Snapshot baseline = Snapshot.take();
            var namesBefore = threadNames();
            long start = System.nanoTime();
            for (int i = 0; i < CYCLES; i++) {
                cycle(ctx);
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            awaitNoSessions(server);
            Snapshot after = Snapshot.take();
            System.out.println("soak: threads before " + namesBefore + "\nsoak: threads after  " + threadNames());
            System.out.printf("soak: %d cycles in %d ms; heap %d -> %d B, threads %d -> %d, fds %d -> %d%n",
                    CYCLES, elapsedMs, baseline.heap, after.heap, baseline.threads, after.threads,
                    baseline.fds, after.fds);
            assertThat(server.sessions().count()).isZero();
            assertThat(after.heap - baseline.heap).isLessThan(1 << 20);
            // The server's file-io pool starts a thread per task until it has FILE_THREADS (a
            // ThreadPoolExecutor grows to its core size before reusing idle threads), then keeps
            // them until 30 s idle: bounded by design, so it is checked against its bound.
            var namesAfter = threadNames();
            assertThat(namesAfter.getOrDefault(FILE_IO, 0L)).isLessThanOrEqualTo(BlockingIo.FILE_THREADS);
            long otherBefore = baseline.threads - namesBefore.getOrDefault(FILE_IO, 0L);
            long otherAfter = after.threads - namesAfter.getOrDefault(FILE_IO, 0L);
            assertThat(otherAfter).as("threads other than file-io: before %s, after %s", namesBefore, namesAfter)
                    .isLessThanOrEqualTo(otherBefore + THREAD_SLACK);
            assertThat(after.fds).isLessThanOrEqualTo(baseline.fds + FD_SLACK);
        } finally {
            server.shutdown();
        }
    }

    private static void cycle(LoadContext ctx) throws Exception {
        Participant publisher = ctx.join();
        Participant subscriber = ctx.join();
        try {
            subscriber.request(List.of("audio", "video"));
            publisher.publish(true, new int[] {100_000}, 15, 1);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (received(subscriber) < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(received(subscriber)).as("packets received by the subscriber").isGreaterThanOrEqualTo(5);
            publisher.unpublish();
        } finally {
            publisher.close();
            subscriber.close();
            // LoadContext keeps every joined participant for its statistics: drop them, or the
            // heap figure would measure the test's own peers.
            ctx.participants.remove(publisher);
            ctx.participants.remove(subscriber);
        }
    }

    private static long received(Participant p) {
        long n = 0;
        for (Subscription s : p.subscriptions()) {
            n += s.received();
        }
        return n;
    }

    private static void awaitNoSessions(ParleyServer server) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.sessions().count() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(500); // let the server finish tearing down transports after the sessions end
    }

    /** Live threads by name with digits folded ("dtls-12" → "dtls-#"), to say which pool grew. */
    private static java.util.Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().collect(java.util.stream.Collectors.groupingBy(
                t -> t.getName().replaceAll("\\d+", "#"), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private record Snapshot(long heap, int threads, long fds) {
        static Snapshot take() throws Exception {
            for (int i = 0; i < 4; i++) {
                System.gc();
                Thread.sleep(100);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            long fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                fds = s.count();
            }
            return new Snapshot(heap, threads, fds);
        }
    }
}
