package example;

import dev.parley.client.JoinedEvent;
import dev.parley.client.ServerConnection;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A chat bot written against the Parley SDK: it joins a group and answers {@code !ping} with
 * {@code pong}, privately when asked privately, until the server closes the connection.
 *
 * <p>usage: {@code PingBot ws://host:port/ws group username password}
 */
public final class PingBot {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: PingBot ws://host:port/ws group username password");
            System.exit(2);
        }
        ServerConnection sc = new ServerConnection();
        CountDownLatch closed = new CountDownLatch(1);
        sc.onclose((code, reason) -> closed.countDown());
        sc.onchat((id, source, dest, username, time, privileged, history, kind, message) -> {
            boolean fromSomeoneElse = source != null && !source.equals(sc.id());
            if (!history && fromSomeoneElse && "!ping".equals(message)) {
                boolean askedPrivately = dest != null && !dest.isEmpty();
                sc.chat("", askedPrivately ? source : "", "pong");
            }
        });
        sc.connect(args[0]).get(10, TimeUnit.SECONDS);
        JoinedEvent joined = sc.join(args[1], args[2], args[3]).get(10, TimeUnit.SECONDS);
        if (!joined.kind().equals("join")) {
            System.err.println("join refused: " + joined.message());
            sc.close();
            return;
        }
        System.out.println("joined " + args[1] + " as " + args[2] + "; say !ping");
        closed.await();
    }
}
