package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static dev.parley.server.conformance.Proto.msg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounded load test of the issue: 200 clients join one group and each sends 20 chat
 * messages. Every client must receive every message exactly once, all in the same order,
 * with no error frames and no closed connection. Join latency and message rate are printed,
 * never asserted.
 *
 * <p>Clients keep at most {@value #WINDOW} of their own messages unacknowledged (not yet
 * echoed), a realistic chat pace that keeps the per-client output queue (W7) meaningful.
 */
class ChatLoadTest {
    private static final int CLIENTS = 200;
    private static final int MESSAGES = 20;
    private static final int WINDOW = 4;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.group("load", "{\"wildcard-user\": {\"password\": \"p\", \"permissions\": \"message\"}}"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A lean client: it keeps only the chat values it receives, and counts everything else. */
    private static final class LoadClient implements WebSocket.Listener {
        final String id;
        final List<String> chats = Collections.synchronizedList(new ArrayList<>(CLIENTS * MESSAGES));
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        final CompletableFuture<Void> joined = new CompletableFuture<>();
        final CountDownLatch allReceived = new CountDownLatch(CLIENTS * MESSAGES);
        final Semaphore window = new Semaphore(WINDOW);
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;
        long joinNanos;

        LoadClient(String id) {
            this.id = id;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                handle(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void handle(String text) {
            JsonNode m;
            try {
                m = Json.parse(text);
            } catch (Exception e) {
                problems.add("unparsable: " + text);
                return;
            }
            switch (m.path("type").asText()) {
                case "chat" -> {
                    String value = m.path("value").asText();
                    chats.add(value);
                    if (value.startsWith(id + ":")) {
                        window.release();
                    }
                    allReceived.countDown();
                }
                case "joined" -> {
                    if (m.path("kind").asText().equals("join")) {
                        joined.complete(null);
                    } else {
                        problems.add("joined: " + text);
                    }
                }
                case "usermessage" -> problems.add("usermessage: " + text);
                default -> { }
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            problems.add("binary frame");
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            problems.add("closed " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            problems.add("error " + error);
        }
    }

    private static String summary(List<LoadClient> clients) {
        StringBuilder b = new StringBuilder();
        int min = Integer.MAX_VALUE, max = 0;
        for (LoadClient c : clients) {
            min = Math.min(min, c.chats.size());
            max = Math.max(max, c.chats.size());
            if (!c.problems.isEmpty()) {
                b.append(c.id).append(": ").append(c.problems.stream().limit(3).toList()).append("; ");
            }
        }
        return "chats received min " + min + " max " + max + "; problems: " + b;
    }

    @Test
    void L13_W7_W8_C6_twoHundredClientsTwentyMessagesEachSameOrderExactlyOnce() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<LoadClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new LoadClient("c" + i));
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // Join, up to 16 at a time.
            Semaphore joining = new Semaphore(16);
            List<CompletableFuture<Void>> joins = new ArrayList<>();
            long joinStart = System.nanoTime();
            for (LoadClient c : clients) {
                joins.add(CompletableFuture.runAsync(() -> {
                    joining.acquireUninterruptibly();
                    try {
                        c.socket = http.newWebSocketBuilder().buildAsync(server.ws(), c).join();
                        c.socket.sendText(msg("type", "handshake", "version", List.of("2"), "id", c.id), true).join();
                        long t0 = System.nanoTime();
                        c.socket.sendText(Proto.join("load", "user-" + c.id, "p"), true).join();
                        c.joined.get(30, TimeUnit.SECONDS);
                        c.joinNanos = System.nanoTime() - t0;
                    } catch (Exception e) {
                        throw new AssertionError(c.id + " did not join", e);
                    } finally {
                        joining.release();
                    }
                }, threads));
            }
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            double joinSeconds = (System.nanoTime() - joinStart) / 1e9;

            // Every client sends MESSAGES chats, with at most WINDOW of its own unacknowledged.
            long chatStart = System.nanoTime();
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (LoadClient c : clients) {
                senders.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < MESSAGES; i++) {
                        try {
                            if (!c.window.tryAcquire(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                                throw new AssertionError(c.id + ": own messages not echoed");
                            }
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        c.socket.sendText(msg("type", "chat", "source", c.id, "username", "user-" + c.id,
                                "value", c.id + ":" + i), true).join();
                    }
                }, threads));
            }
            try {
                CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("senders stuck: " + summary(clients));
            }
            for (LoadClient c : clients) {
                if (!c.allReceived.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError(c.id + " received only " + c.chats.size() + " chats; problems: " + c.problems);
                }
            }
            double chatSeconds = (System.nanoTime() - chatStart) / 1e9;
            Thread.sleep(200);   // let any duplicate arrive before checking

            List<String> reference = List.copyOf(clients.getFirst().chats);
            assertThat(reference).hasSize(CLIENTS * MESSAGES);
            assertThat(new HashSet<>(reference)).as("every message exactly once").hasSize(CLIENTS * MESSAGES);
            for (LoadClient c : clients) {
                assertThat(c.problems).as(c.id).isEmpty();
                assertThat(c.chats).as("%s sees the same order", c.id).containsExactlyElementsOf(reference);
            }
            // Each sender's own messages arrive in the order it sent them.
            for (LoadClient c : clients) {
                List<String> own = reference.stream().filter(v -> v.startsWith(c.id + ":")).toList();
                assertThat(own).containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, MESSAGES).mapToObj(i -> c.id + ":" + i).toList());
            }

            long[] latencies = clients.stream().mapToLong(c -> c.joinNanos).sorted().toArray();
            long deliveries = (long) CLIENTS * CLIENTS * MESSAGES;
            System.out.printf("LOAD: %d clients joined in %.2f s; join latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    CLIENTS, joinSeconds, latencies[latencies.length / 2] / 1e6,
                    latencies[(int) Math.ceil(latencies.length * 0.99) - 1] / 1e6, latencies[latencies.length - 1] / 1e6);
            System.out.printf("LOAD: %d chats sent, %d delivered in %.2f s: %.0f sent/s, %.0f delivered/s%n",
                    CLIENTS * MESSAGES, deliveries, chatSeconds, CLIENTS * MESSAGES / chatSeconds, deliveries / chatSeconds);
        } finally {
            for (LoadClient c : clients) {
                if (c.socket != null) {
                    c.socket.abort();
                }
            }
        }
    }
}
