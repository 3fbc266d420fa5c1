package dev.parley.server.group;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Message;

import java.util.List;

/**
 * A member of a group (G5): a WebSocket client, a WHIP session or a recorder.
 * {@link #send} never blocks: it queues the message for the member's connection.
 */
public interface Member {
    String id();

    String username();

    /** The member's own, mutable-by-the-server permission list (never shared, see P2). */
    List<String> permissions();

    /** User data (J4, UA7); {@code null} when there is none. */
    ObjectNode data();

    /** Whether this member is a WebSocket client, which can chat and be acted upon (C7, UA2). */
    boolean isWebSocket();

    void send(Message m);

    /** Sends messages in order as one burst (see {@link dev.parley.server.ws.Connection#sendTexts}). */
    default void sendAll(java.util.List<Message> messages) {
        messages.forEach(this::send);
    }

    /** Kicks the member out (J24); {@code kickerId}/{@code kickerUsername} may be null. */
    void kick(String kickerId, String kickerUsername, String message);

    /**
     * The group's state changed (J22, J23): a WebSocket member sends itself
     * {@code joined change}, with the group data when {@code withData}.
     */
    default void groupChanged(Group group, boolean withData) {
    }

    /** The remote address as {@code ip:port}, or null when unknown (UA5). */
    String address();

    default boolean hasPermission(String p) {
        return permissions().contains(p);
    }

    /** The {@code user} message that describes this member to others (U1). */
    default Message userMessage(String kind) {
        Message.Builder b = Message.of("user").kind(kind).id(id()).username(username());
        if (!"delete".equals(kind)) {
            b.permissions(List.copyOf(permissions())).data(data());
        }
        return b.build();
    }
}
