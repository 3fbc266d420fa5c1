package dev.parley.client.examples;

import dev.parley.client.JoinedEvent;
import dev.parley.client.ServerConnection;
import dev.parley.client.TransferredFile;
import dev.parley.client.User;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one file to a user of a group, peer to peer, with the web client's file-transfer
 * protocol, and exits when the recipient confirms (0), refuses or fails (1).
 *
 * <p>usage: {@code FileSender ws://host:port/ws group username password recipient file}
 */
public final class FileSender {
    private FileSender() {
    }

    /**
     * Joins, waits for the recipient to be in the group, offers the file and waits for the
     * outcome, then closes the connection.
     *
     * @param url       the server's WebSocket endpoint
     * @param group     the group to join
     * @param username  our username
     * @param password  our password
     * @param recipient the username of the member to send to
     * @param file      the file to send
     * @param timeout   how long to wait for the recipient to appear, and then for the transfer
     * @param log       where progress and failures are written, one line each
     * @return 0 when the recipient confirmed the whole file, 1 otherwise
     * @throws Exception when connecting or joining fails or takes more than 10 s
     */
    public static int send(String url, String group, String username, String password, String recipient,
                           Path file, Duration timeout, Appendable log) throws Exception {
        if (!Files.isRegularFile(file)) {
            log.append("no such file: ").append(String.valueOf(file)).append('\n');
            return 1;
        }
        ServerConnection sc = new ServerConnection();
        CompletableFuture<String> recipientId = new CompletableFuture<>();
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        sc.onuser((id, kind) -> findRecipient(sc.users(), recipient, recipientId));
        sc.onclose((code, reason) -> outcome.complete(false));
        sc.onfiletransfer(f -> f.onevent((state, data) -> {
            try {
                switch (state) {
                    case "connected" -> { }
                    case "done" -> {
                        log.append("done: ").append(String.valueOf(f.datalen())).append(" bytes\n");
                        outcome.complete(true);
                    }
                    case "cancelled" -> {
                        log.append("cancelled: ").append(String.valueOf(data)).append('\n');
                        outcome.complete(false);
                    }
                    default -> log.append(state).append('\n');
                }
            } catch (java.io.IOException e) {
                outcome.complete(false);
            }
        }));
        try {
            sc.connect(url).get(10, TimeUnit.SECONDS);
            JoinedEvent joined = sc.join(group, username, password).get(10, TimeUnit.SECONDS);
            if (!joined.kind().equals("join")) {
                log.append("join refused: ").append(joined.message()).append('\n');
                return 1;
            }
            String dest = recipientId.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            TransferredFile f = sc.sendFile(dest, file);
            log.append("offered ").append(f.name()).append(" (").append(String.valueOf(f.size()))
                    .append(" bytes) to ").append(recipient).append('\n');
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS) ? 0 : 1;
        } catch (java.util.concurrent.TimeoutException e) {
            log.append("timed out\n");
            return 1;
        } finally {
            sc.close();
        }
    }

    private static void findRecipient(Map<String, User> users, String name, CompletableFuture<String> found) {
        users.forEach((id, u) -> {
            if (name.equals(u.username())) {
                found.complete(id);
            }
        });
    }

    /**
     * Sends the file and exits with the outcome as status.
     *
     * @param args the server's URL, the group, the username, the password, the recipient's
     *             username and the file
     * @throws Exception when connecting or joining fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: FileSender ws://host:port/ws group username password recipient file");
            System.exit(2);
        }
        System.exit(send(args[0], args[1], args[2], args[3], args[4], Path.of(args[5]),
                Duration.ofMinutes(5), System.err));
    }
}
