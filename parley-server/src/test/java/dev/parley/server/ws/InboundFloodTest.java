package dev.parley.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.RawWsClient;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that pipelines large joins with a wrong password, never authenticated, cannot make
 * the server hold more than a small bound of its input ({@link InboundBudget}), and the other
 * clients' messages all get through meanwhile. Each reply to the flood comes only after the
 * J10 delay, so the flood always outpaces its processing: without the bound every frame
 * would wait in memory.
 */
class InboundFloodTest {
    /** Each join frame: ~1 MB, under the 1 MiB limit of W2. */
    private static final int FRAME = 1_000_000;
    /** Enough to exhaust a small heap if it were all held, few enough not to exhaust the test's. */
    private static final int MAX_FRAMES = 400;
    private static final int CHATS = 200;

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> {
            f.group("locked", "{\"users\": {\"op\": {\"password\": \"secret\", \"permissions\": \"op\"}}}");
            f.group("talk", "{\"wildcard-user\": {\"password\": \"\", \"permissions\": \"present\"}}");
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void J10_L1_aFloodOfFailedJoinsIsHeldBackAtItsSocketAndOthersAreServed() throws Exception {
        long heapBefore = usedHeapAfterGc();
        byte[] join = floodFrame();
        AtomicInteger written = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try (RawWsClient flooder = new RawWsClient(server.port(), 0)) {
            flooder.sendText("{\"type\":\"handshake\",\"version\":[\"2\"],\"id\":\"flooder\"}");
            flooder.readUntil("handshake");
            ClientSession flooding = sessionWithId("flooder");
            Thread writer = Thread.ofPlatform().daemon().name("flood-writer").start(() -> {
                try {
                    while (written.get() < MAX_FRAMES) {
                        flooder.sendFrame(true, 0x1, join);
                        written.incrementAndGet();
                    }
                } catch (IOException e) {
                    // the socket was closed at the end of the test
                }
            });
            Thread reader = Thread.ofPlatform().daemon().name("flood-reader").start(() -> {
                try {
                    while (true) {
                        RawWsClient.Frame f = flooder.readFrame();
                        if (f.opcode() == 0x1 && f.text().contains("not authorised")) {
                            refused.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            });

            // The flood has filled what a session may hold, and is being answered.
            until(() -> flooding.peakInboundBytes() >= InboundBudget.MAX_BYTES && refused.get() >= 3);

            try (WsClient a = server.handshake("talker-a"); WsClient b = server.handshake("talker-b")) {
                joinTalk(a, "talker-a", "alice");
                joinTalk(b, "talker-b", "bob");
                b.expectMatching(m -> "user".equals(m.path("type").asText()) && "talker-a".equals(m.path("id").asText()));
                for (int i = 0; i < CHATS; i++) {
                    a.send("{\"type\":\"chat\",\"source\":\"talker-a\",\"username\":\"alice\",\"value\":\"m" + i + "\"}");
                }
                for (int i = 0; i < CHATS; i++) {
                    JsonNode chat = b.expectType("chat");
                    assertThat(chat.path("value").asText()).isEqualTo("m" + i);
                }
            }

            long peakUsed = floodFor(Long.getLong("parley.flood.seconds", 0));
            long heldDuringFlood = usedHeapAfterGc() - heapBefore;
            int refusedSoFar = refused.get();
            long peakBytes = flooding.peakInboundBytes();
            int peakMessages = flooding.peakInboundMessages();
            flooder.close();
            writer.join(10_000);
            reader.join(10_000);

            System.out.printf("flood: %d frames written, %d refused, peak waiting %d messages / %d bytes, heap held %d KiB;"
                            + " peak heap used %d MiB of %d MiB%n", written.get(), refusedSoFar, peakMessages, peakBytes,
                    heldDuringFlood >> 10, peakUsed >> 20, Runtime.getRuntime().maxMemory() >> 20);
            // One socket read can decode a little beyond the bound before reading stops.
            assertThat(peakBytes).as("bytes waiting at once").isLessThanOrEqualTo(InboundBudget.MAX_BYTES + 2L * FRAME);
            assertThat(peakMessages).as("messages waiting at once").isLessThanOrEqualTo(InboundBudget.MAX_MESSAGES + 2);
            // Every frame the server took from the socket was answered in turn, after its delay:
            // the flood was held back in TCP, not dropped and not queued.
            assertThat(written.get()).as("frames the flooder managed to write").isLessThan(MAX_FRAMES);
            assertThat(heldDuringFlood).as("heap held during the flood, after GC").isLessThan(64L << 20);
            assertThat(refusedSoFar).isGreaterThanOrEqualTo(3);
        }
    }

    /**
     * Lets the flood go on for {@code seconds} more ({@code -Dparley.flood.seconds=30} to measure
     * a long attack); returns the most heap seen in use meanwhile, garbage included.
     */
    private static long floodFor(long seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long peak = 0;
        do {
            Runtime rt = Runtime.getRuntime();
            peak = Math.max(peak, rt.totalMemory() - rt.freeMemory());
            Thread.sleep(20);
        } while (System.nanoTime() < end);
        return peak;
    }

    private static void joinTalk(WsClient c, String id, String username) {
        c.send("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"talk\",\"username\":\"" + username + "\",\"password\":\"\"}");
        assertThat(c.expectType("joined").path("kind").asText()).isEqualTo("join");
        c.expectMatching(m -> "user".equals(m.path("type").asText()) && id.equals(m.path("id").asText()));
    }

    private static byte[] floodFrame() {
        String head = "{\"type\":\"join\",\"kind\":\"join\",\"group\":\"locked\",\"username\":\"op\",\"password\":\"";
        String tail = "\"}";
        String padding = "x".repeat(FRAME - head.length() - tail.length());
        return (head + padding + tail).getBytes(StandardCharsets.UTF_8);
    }

    static ClientSession sessionWithId(String id) {
        until(() -> server.server().sessions().snapshot().stream().anyMatch(s -> id.equals(s.id())));
        return server.server().sessions().snapshot().stream().filter(s -> id.equals(s.id())).findFirst().orElseThrow();
    }

    static long usedHeapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Waits for a condition with a generous deadline (the machine may be very loaded). */
    static void until(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
