package dev.parley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Our membership of a group: joining (with any kind of credentials), what the server's
 * {@code joined} and {@code user} messages say about us and the other members, and the
 * futures of joins waiting for their answer. State changes on the event thread only; the
 * fields are volatile or concurrent so that getters may read them from any thread.
 */
final class Membership {
    private static final System.Logger LOG = System.getLogger(Membership.class.getName());

    private final ServerConnection sc;
    private volatile String group;
    private volatile String username;
    private volatile List<String> permissions = List.of();
    private volatile ObjectNode rtcConfiguration;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final List<CompletableFuture<JoinedEvent>> pendingJoins = new ArrayList<>();

    Membership(ServerConnection sc) {
        this.sc = sc;
    }

    String group() {
        return group;
    }

    String username() {
        return username;
    }

    List<String> permissions() {
        return permissions;
    }

    ObjectNode rtcConfiguration() {
        return rtcConfiguration;
    }

    /** The live map; the connection hands out an unmodifiable view. */
    Map<String, User> users() {
        return users;
    }

    /** Event thread: replaces a member's entry (its streams changed). */
    void update(String uid, User user) {
        users.put(uid, user);
    }

    // ---------------------------------------------------------------- joining

    /** Sends the join (after asking the authorisation server, if that is the credential) and awaits the answer. */
    CompletableFuture<JoinedEvent> join(String group, String username, Credentials credentials, ObjectNode data) {
        CompletableFuture<Message> message = switch (credentials) {
            case Credentials.Password p -> CompletableFuture.completedFuture(
                    joinMessage(group, username, data).password(p.password()).build());
            case Credentials.Token t -> CompletableFuture.completedFuture(
                    joinMessage(group, username, data).token(t.token()).build());
            case Credentials.AuthServer a -> AuthServerClient.token(a, username)
                    .thenApply(token -> token == null
                            ? joinMessage(group, username, data).password(a.password()).build()
                            : joinMessage(group, username, data).token(token).build());
        };
        return message.thenComposeAsync(m -> {
            CompletableFuture<JoinedEvent> answer = new CompletableFuture<>();
            pendingJoins.add(answer);
            sc.send(m).whenComplete((x, e) -> {
                if (e != null) {
                    answer.completeExceptionally(e);
                }
            });
            return answer;
        }, sc.loop());
    }

    private static Message.Builder joinMessage(String group, String username, ObjectNode data) {
        return Message.of("join").kind("join").group(group).username(username).data(data);
    }

    // ---------------------------------------------------------------- server messages (event thread)

    void gotJoined(Message m) {
        String kind = m.kind() == null ? "" : m.kind();
        switch (kind) {
            case "leave", "fail" -> {
                deleteAllUsers();
                username = null;
                permissions = List.of();
                rtcConfiguration = null;
            }
            case "join", "change" -> {
                if (kind.equals("join") && group != null && !group.equals(m.group())) {
                    LOG.log(System.Logger.Level.WARNING, "Joined multiple groups");
                } else if (kind.equals("change") && !Objects.equals(m.group(), group)) {
                    LOG.log(System.Logger.Level.WARNING, "join(change) for inconsistent group");
                    return;
                }
                group = m.group();
                username = m.username();
                permissions = m.permissions() == null ? List.of() : List.copyOf(m.permissions());
                rtcConfiguration = m.rtcConfiguration();
            }
            default -> {
            }
        }
        String message = m.value() == null ? null : m.value().isTextual() ? m.value().asText() : m.value().toString();
        List<String> perms = m.permissions() == null ? List.of() : List.copyOf(m.permissions());
        ObjectNode status = m.status() == null ? Json.object() : m.status();
        ObjectNode data = m.data() == null ? Json.object() : m.data();
        JoinedEvent event = new JoinedEvent(kind, m.group(), perms, status, data, m.error(), message);
        sc.callbacks().joined(event);
        if (!kind.equals("change")) {
            List<CompletableFuture<JoinedEvent>> waiting = List.copyOf(pendingJoins);
            pendingJoins.clear();
            waiting.forEach(f -> f.complete(event));
        }
    }

    void gotUser(Message m) {
        String uid = m.id();
        if (uid == null) {
            LOG.log(System.Logger.Level.WARNING, "user message without id");
            return;
        }
        List<String> perms = m.permissions() == null ? List.of() : List.copyOf(m.permissions());
        ObjectNode data = m.data() == null ? Json.object() : m.data();
        switch (m.kind() == null ? "" : m.kind()) {
            case "add" -> {
                if (users.containsKey(uid)) {
                    LOG.log(System.Logger.Level.WARNING, "Duplicate user {0} {1}", uid, m.username());
                }
                users.put(uid, new User(m.username(), perms, data, Map.of()));
            }
            case "change" -> {
                User old = users.get(uid);
                users.put(uid, new User(m.username(), perms, data, old == null ? Map.of() : old.streams()));
            }
            case "delete" -> {
                sc.files().failAllWith(uid, "user has gone away");
                users.remove(uid);
            }
            default -> {
                LOG.log(System.Logger.Level.WARNING, "Unknown user action {0}", m.kind());
                return;
            }
        }
        sc.callbacks().user(uid, m.kind());
    }

    // ---------------------------------------------------------------- end of the connection (event thread)

    /** First step of a teardown: nothing is allowed any more. */
    void revokePermissions() {
        permissions = List.of();
    }

    /**
     * Forgets the group as the reference does when the socket closes: every member is deleted
     * (with {@code onuser}), then {@code onjoined("leave")} if we were in a group.
     */
    void connectionEnded() {
        deleteAllUsers();
        if (group != null) {
            sc.callbacks().joined("leave", group, List.of(), Json.object(), Json.object(), "", "");
        }
        group = null;
        username = null;
    }

    /** Last step of a teardown: joins still waiting for an answer will never get one. */
    void failPendingJoins(Throwable why) {
        List<CompletableFuture<JoinedEvent>> waiting = List.copyOf(pendingJoins);
        pendingJoins.clear();
        waiting.forEach(f -> f.completeExceptionally(why));
    }

    private void deleteAllUsers() {
        for (String uid : List.copyOf(users.keySet())) {
            users.remove(uid);
            sc.callbacks().user(uid, "delete");
        }
    }
}
