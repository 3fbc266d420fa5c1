package dev.parley.server.ws;

import dev.parley.server.testing.RawWsClient;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.parley.server.ws.InboundFloodTest.until;
import static dev.parley.server.ws.InboundFloodTest.usedHeapAfterGc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of complete signalling lives (connect, handshake, join, chat, leave, close)
 * against the real server leave nothing behind: after a forced GC the heap has grown by less
 * than 1 MB, and the JVM's threads and open file descriptors are back to what they were.
 * Runs in {@code ./parley test} (tag {@code soak}: not excluded there).
 */
@Tag("soak")
class SignallingSoakTest {
    /** {@code -Dparley.soak.cycles=N} for a longer run. */
    private static final int CYCLES = Integer.getInteger("parley.soak.cycles", 2_000);
    /** Clients living at once: enough to overlap round trips, few enough to stay a soak, not a load test. */
    private static final int CONCURRENT = 20;
    private static final long MAX_GROWTH = 1_000_000;

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.group("soak", "{\"wildcard-user\": {\"password\": \"\", \"permissions\": \"present\"}}"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void L1_L2_connectJoinChatLeaveCloseCyclesLeaveNoHeapThreadsOrDescriptorsBehind() throws Exception {
        // Warm up: every event loop thread started, the chat history (50 entries) full, the
        // code paths compiled, so that what follows measures growth and not first use.
        cycles(0, 100);
        settle();
        long heapBefore = usedHeapAfterGc();
        int threadsBefore = threads();
        int fdsBefore = fds();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();

        cycles(100, CYCLES);

        long wallMs = (System.nanoTime() - start) / 1_000_000;
        long cpuMs = (processCpuNanos() - cpuBefore) / 1_000_000;
        settle();
        long[] growth = new long[1];
        try {
            until(() -> {
                growth[0] = usedHeapAfterGc() - heapBefore;
                return growth[0] < MAX_GROWTH && threads() <= threadsBefore && fds() <= fdsBefore;
            });
        } catch (AssertionError stillAbove) {
            // the assertions below say which count stayed above its baseline
        }
        System.out.printf("soak: %d cycles in %d ms (process CPU %d ms); heap %+d bytes, threads %d -> %d, fds %d -> %d%n",
                CYCLES, wallMs, cpuMs, growth[0], threadsBefore, threads(), fdsBefore, fds());
        assertThat(growth[0]).isLessThan(MAX_GROWTH);
        assertThat(threads()).isLessThanOrEqualTo(threadsBefore);
        assertThat(fds()).isLessThanOrEqualTo(fdsBefore);
    }

    /** Runs {@code count} cycles, {@link #CONCURRENT} at a time. */
    private static void cycles(int first, int count) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT, Thread.ofVirtual().factory())) {
            List<Future<?>> running = new ArrayList<>(count);
            for (int i = first; i < first + count; i++) {
                String id = "soak-" + i;
                running.add(pool.submit(() -> {
                    cycle(id);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
    }

    private static void cycle(String id) throws IOException {
        try (RawWsClient c = new RawWsClient(server.port(), 0)) {
            c.sendText("{\"type\":\"handshake\",\"version\":[\"2\"],\"id\":\"" + id + "\"}");
            c.sendText("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"soak\",\"username\":\"" + id + "\",\"password\":\"\"}");
            c.sendText("{\"type\":\"chat\",\"source\":\"" + id + "\",\"username\":\"" + id + "\",\"value\":\"hello from " + id + "\"}");
            assertThat(c.readUntil("hello from " + id + "\"").opcode()).isEqualTo(0x1);
            c.sendText("{\"type\":\"join\",\"kind\":\"leave\",\"group\":\"soak\"}");
            assertThat(c.readUntil("\"kind\":\"leave\"").opcode()).isEqualTo(0x1);
            c.sendFrame(true, 0x8, new byte[]{0x03, (byte) 0xe8});
            assertThat(c.readUntil("never: the close frame comes back").opcode()).isEqualTo(0x8);
        }
    }

    /** Until every socket of the cycles is gone from the server. */
    private static void settle() {
        until(() -> server.server().sessions().count() == 0);
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static int fds() {
        String[] open = new File("/proc/self/fd").list();
        return open == null ? 0 : open.length;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
