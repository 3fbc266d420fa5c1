import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A chat client with no dependencies, for scripts/test-sample-project: joins GROUP as "pinger",
 * says "!ping" until a member named BOTNAME answers "pong" (the bot may join after us), and
 * exits 0, or 1 after TIMEOUT seconds. Run it with the JDK's source launcher:
 * {@code java scripts/ChatPing.java ws://127.0.0.1:PORT/ws GROUP BOTNAME TIMEOUT}.
 * It matches the server's JSON as text on purpose: it must not depend on the SDK it checks.
 */
public class ChatPing {
    public static void main(String[] args) throws Exception {
        String url = args[0], group = args[1], bot = args[2];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(url), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            inbox.add(partial.toString());
                            partial.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
        String id = Long.toHexString(System.nanoTime());
        send(ws, "{\"type\":\"handshake\",\"version\":[\"2\"],\"id\":\"" + id + "\"}");
        send(ws, "{\"type\":\"join\",\"kind\":\"join\",\"group\":\"" + group
                + "\",\"username\":\"pinger\",\"password\":\"x\"}");
        long nextPing = 0;
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextPing) {
                send(ws, "{\"type\":\"chat\",\"source\":\"" + id + "\",\"username\":\"pinger\",\"value\":\"!ping\"}");
                nextPing = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            }
            String m = inbox.poll(200, TimeUnit.MILLISECONDS);
            if (m == null) {
                continue;
            }
            if (m.contains("\"type\":\"ping\"")) {
                send(ws, "{\"type\":\"pong\"}");
            } else if (m.contains("\"type\":\"chat\"") && m.contains("\"username\":\"" + bot + "\"")
                    && m.contains("\"value\":\"pong\"")) {
                System.out.println("ChatPing: " + bot + " answered pong");
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
                return;
            }
        }
        System.err.println("ChatPing: no pong from " + bot + " in time");
        System.exit(1);
    }

    private static void send(WebSocket ws, String text) throws Exception {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
    }
}
