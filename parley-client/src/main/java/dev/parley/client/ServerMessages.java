package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Message;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Routes each message from the server to the part of the connection it concerns: the
 * handshake to the connection, stream messages to {@link StreamSignalling}, {@code joined} and
 * {@code user} to {@link Membership}, file-transfer user messages to {@link FileTransfers},
 * chat and other user messages to the application's callbacks. Event thread only.
 */
final class ServerMessages {
    private static final System.Logger LOG = System.getLogger(ServerMessages.class.getName());

    private final ServerConnection sc;

    ServerMessages(ServerConnection sc) {
        this.sc = sc;
    }

    void route(SocketSession session, Message m) {
        String type = m.type() == null ? "" : m.type();
        StreamSignalling streams = sc.streams();
        switch (type) {
            case "handshake" -> sc.gotHandshake(session, m.version());
            case "offer" -> streams.gotOffer(m.id(), m.label(), m.source(), m.username(), m.sdp(), m.replace());
            case "answer" -> streams.gotAnswer(m.id(), m.sdp());
            case "renegotiate" -> streams.gotRenegotiate(m.id());
            case "close" -> streams.gotClose(m.id());
            case "abort" -> streams.gotAbort(m.id());
            case "ice" -> streams.gotRemoteIce(m.id(), m.candidate());
            case "joined" -> sc.membership().gotJoined(m);
            case "user" -> sc.membership().gotUser(m);
            case "chat", "chathistory" -> sc.callbacks().chat(m.id(), m.source(), m.dest(), m.username(),
                    parseTime(m.time()), m.privileged(), type.equals("chathistory"), m.kind(), chatText(m.value()));
            case "usermessage" -> {
                if ("filetransfer".equals(m.kind())) {
                    sc.files().handle(m.source(), m.username(), m.value());
                } else {
                    // the sender is m.source() even for "kicked", whose kicker is in m.id() (J24):
                    // the reference library passes m.source, and so do we
                    sc.callbacks().userMessage(m.source(), m.dest(), m.username(), parseTime(m.time()),
                            m.privileged(), m.kind(), m.error(), m.value());
                }
            }
            case "ping" -> sc.trySend(Message.of("pong").build());
            case "pong" -> {
            }
            default -> LOG.log(System.Logger.Level.WARNING, "Unexpected server message {0}", type);
        }
    }

    /** A chat's value as text, as the reference's {@code '' + m.value}: absent is "", non-strings as JSON. */
    private static String chatText(JsonNode value) {
        return value == null ? "" : value.isTextual() ? value.asText() : value.toString();
    }

    /** RFC 3339 as sent by current servers, epoch milliseconds as sent by old ones; null otherwise. */
    static Instant parseTime(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(value));
            } catch (NumberFormatException e2) {
                return null;
            }
        }
    }
}
