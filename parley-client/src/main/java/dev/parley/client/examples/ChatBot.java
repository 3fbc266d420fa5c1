package dev.parley.client.examples;

import dev.parley.client.JoinedEvent;
import dev.parley.client.ServerConnection;
import dev.parley.client.User;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A chat bot that answers commands: {@code !ping}, {@code !users}, {@code !time},
 * {@code !help}. A command sent to the whole group is answered to the whole group; a private
 * one privately. Its own messages and the chat history are ignored.
 *
 * <p>usage: {@code ChatBot ws://host:port/ws group username password}
 */
public final class ChatBot implements AutoCloseable {
    private final ServerConnection sc = new ServerConnection();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ChatBot() {
        sc.onchat((id, source, dest, username, time, privileged, history, kind, message) -> {
            if (history || source == null || source.equals(sc.id()) || message == null
                    || !message.startsWith("!")) {
                return;
            }
            String reply = answer(message.trim());
            boolean isPrivate = dest != null && !dest.isEmpty();
            sc.chat("", isPrivate ? source : "", reply);
        });
        sc.onclose((code, reason) -> closed.countDown());
    }

    /**
     * Connects and joins; the bot answers from then on, on the connection's event thread.
     *
     * @param url      the server's WebSocket endpoint, e.g. {@code ws://127.0.0.1:8443/ws}
     * @param group    the group to join
     * @param username the bot's username
     * @param password the bot's password
     * @return the running bot; close it to leave
     * @throws Exception when connecting or joining takes more than 10 s or fails, or the
     *                   server refuses the join (an {@link IllegalStateException} with its reason)
     */
    public static ChatBot start(String url, String group, String username, String password) throws Exception {
        ChatBot bot = new ChatBot();
        bot.sc.connect(url).get(10, TimeUnit.SECONDS);
        JoinedEvent joined = bot.sc.join(group, username, password).get(10, TimeUnit.SECONDS);
        if (!joined.kind().equals("join")) {
            bot.close();
            throw new IllegalStateException("join refused: " + joined.message());
        }
        return bot;
    }

    /**
     * The bot's connection, to add behaviour or watch it.
     *
     * @return the connection
     */
    public ServerConnection connection() {
        return sc;
    }

    String answer(String command) {
        String word = command.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return switch (word) {
            case "!ping" -> "pong";
            case "!users" -> sc.users().values().stream().map(User::username).sorted()
                    .collect(Collectors.joining(", "));
            case "!time" -> Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            case "!help" -> "commands: !ping, !users, !time, !help";
            default -> "unknown command " + word + "; try !help";
        };
    }

    /**
     * Waits until the connection ends (closed by us, by the server, or kicked).
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Leaves the group and closes the connection. */
    @Override
    public void close() {
        sc.close();
    }

    /**
     * Runs the bot until the server closes the connection.
     *
     * @param args the server's URL, the group, the username and the password
     * @throws Exception when the bot cannot join
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ChatBot ws://host:port/ws group username password");
            System.exit(2);
        }
        try (ChatBot bot = start(args[0], args[1], args[2], args[3])) {
            System.err.println("joined " + args[1] + " as " + args[2]);
            bot.awaitClose();
        }
    }
}
