package dev.parley.server.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Message;
import dev.parley.protocol.MessageCodec;
import dev.parley.server.ServerContext;
import dev.parley.server.api.ClientStatistics;
import dev.parley.server.sfu.Publisher;
import dev.parley.server.sfu.StreamReceiver;
import dev.parley.server.sfu.UpStream;
import dev.parley.server.group.Group;
import dev.parley.server.group.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One signalling session: a WebSocket client from its handshake to its disconnection.
 *
 * <p>Incoming frames are processed one at a time, in order, on the session's own virtual
 * thread; outgoing messages are queued on the connection and never block the caller. What
 * the client has sent and the session not yet processed is bounded ({@link InboundBudget}).
 * Fields read by other sessions (username, permissions, data) are volatile and replaced,
 * never mutated, so readers always see a consistent value.
 */
public final class ClientSession implements Member, ClientStatistics, Publisher, StreamReceiver {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    static final String VERSION_WARNING =
            "This client is using an unknown protocol version.\nPerhaps it needs upgrading?\nTrying to continue, things may break.";

    final ServerContext ctx;
    private final Connection connection;
    private final SessionInbox inbox;
    private final InboundBudget inbound;
    private final JoinHandler joins;
    private final ChatHandler chats;
    private final UserActions userActions;
    private final GroupActions groupActions;
    private final StreamSignalling streams;

    private volatile boolean handshaken;
    private volatile boolean closing;
    private volatile long lastReceived;
    private String id;
    private volatile String username = "";
    private volatile List<String> permissions = List.of();
    private volatile ObjectNode data;
    private volatile Group group;

    public ClientSession(ServerContext ctx, Connection connection) {
        this.ctx = ctx;
        this.connection = connection;
        this.inbox = new SessionInbox("session");
        this.inbound = new InboundBudget(connection);
        this.joins = new JoinHandler(this);
        this.chats = new ChatHandler(this);
        this.userActions = new UserActions(this);
        this.groupActions = new GroupActions(this);
        this.streams = new StreamSignalling(this);
        this.lastReceived = System.nanoTime();
    }

    // ---- input, called by the transport -------------------------------------------------

    /** Queues a received text frame for in-order processing. */
    public void received(String text) {
        received(text, text.length());
    }

    /** Queues a received text frame of {@code size} bytes on the wire for in-order processing. */
    public void received(String text, int size) {
        if (closing) {
            return;
        }
        inbound.arrived(size);
        boolean queued = inbox.execute(() -> {
            Group current = group;
            try (SessionLogContext ignored = SessionLogContext.enter(current == null ? null : current.name(), id)) {
                if (!closing) {
                    process(text);
                }
            } finally {
                inbound.processed(size);
            }
        });
        if (!queued) {
            inbound.processed(size);
        }
    }

    /** Runs a task on this session's thread, in order with its messages; dropped once closed. */
    public void runInSession(Runnable task) {
        inbox.execute(() -> {
            if (!closing) {
                task.run();
            }
        });
    }

    /**
     * Processes nothing more from this client for {@code delayMillis}, then runs
     * {@code continuation} first (J10). No thread waits meanwhile, and the socket is not read, so
     * a client cannot pile up work behind the delay.
     */
    void pauseThen(long delayMillis, Runnable continuation) {
        connection.pauseReading();
        inbox.suspendFor(delayMillis, () -> {
            connection.resumeReading();
            if (!closing) {
                continuation.run();
            }
        });
    }

    /** The most messages this client ever had waiting to be processed at once. */
    public int peakInboundMessages() {
        return inbound.peakMessages();
    }

    /** The most bytes this client ever had waiting to be processed at once. */
    public long peakInboundBytes() {
        return inbound.peakBytes();
    }

    /** The socket closed, for whatever reason (J20). */
    public void disconnected() {
        closing = true;
        inbox.execute(() -> {
            try {
                joins.leaveGroup(false);
            } catch (RuntimeException e) {
                log.warn("cleanup of {} failed", id, e);
            }
        });
        inbox.shutdown();
    }

    /** Nanotime of the last valid message, for keepalive (KA2). */
    public long lastReceivedNanos() {
        return lastReceived;
    }

    public boolean handshaken() {
        return handshaken;
    }

    private void process(String text) {
        if (closing) {
            return;
        }
        Message m;
        try {
            m = MessageCodec.decode(text);
        } catch (MessageCodec.MalformedMessageException e) {
            if (!handshaken) {
                closing = true;
                connection.abort();          // HS1
            } else {
                terminate(new SessionTermination.InternalFailure(e.getMessage()));   // W3
            }
            return;
        }
        try {
            if (!handshaken) {
                handshake(m);
                return;
            }
            lastReceived = System.nanoTime();
            checkIdentity(m);
            dispatch(m);
        } catch (SessionTermination t) {
            terminate(t);
        } catch (RuntimeException e) {
            log.warn("session {}: unexpected failure", id, e);
            terminate(new SessionTermination.InternalFailure(String.valueOf(e.getMessage())));
        }
    }

    private void handshake(Message m) {
        if (!"handshake".equals(m.type())) {
            closing = true;
            connection.close(1002, "you must handshake first");       // HS2
            return;
        }
        handshaken = true;
        lastReceived = System.nanoTime();
        id = m.id() == null ? "" : m.id();
        send(Message.of("handshake").version(List.of("2")).build());  // HS4
        if (m.version() == null || !m.version().contains("2")) {
            send(Message.of("usermessage").kind("warning").dest(id).privileged(true)
                    .value(VERSION_WARNING).build());                // HS5
        }
    }

    /** W5: source must be ours; username, when present, must be ours (except in join). */
    private void checkIdentity(Message m) throws SessionTermination {
        if (m.source() != null && !m.source().isEmpty() && !m.source().equals(id)) {
            throw new SessionTermination.ProtocolError("spoofed client id");
        }
        if (!"join".equals(m.type()) && m.username() != null && !m.username().equals(username)) {
            throw new SessionTermination.ProtocolError("spoofed username");
        }
    }

    private void dispatch(Message m) throws SessionTermination {
        String type = m.type() == null ? "" : m.type();
        switch (type) {
            case "ping" -> send(Message.of("pong").build());
            case "pong" -> { }
            case "join" -> joins.handle(m);
            case "request" -> streams.request(m);
            case "requestStream" -> streams.requestStream(m);
            case "offer" -> streams.offer(m);
            case "answer" -> streams.answer(m);
            case "renegotiate" -> streams.renegotiate(m);
            case "close" -> streams.close(m);
            case "abort" -> streams.abort(m);
            case "ice" -> streams.ice(m);
            case "chat" -> chats.chat(m);
            case "usermessage" -> chats.userMessage(m);
            case "useraction" -> userActions.handle(m);
            case "groupaction" -> groupActions.handle(m);
            default -> throw new SessionTermination.ProtocolError("unexpected message");   // B1, HS6
        }
    }

    private void terminate(SessionTermination t) {
        if (closing) {
            return;
        }
        if (t.notifies()) {
            sendError(t.getMessage());
        }
        closing = true;
        connection.close(t.closeCode(), t.closeCode() == 1011 ? "" : t.getMessage());
    }

    // ---- output ----------------------------------------------------------------------------

    @Override
    public void send(Message m) {
        if (!connection.sendText(MessageCodec.encode(m))) {
            closing = true;
        }
    }

    @Override
    public void sendAll(List<Message> messages) {
        if (!connection.sendTexts(messages.stream().map(MessageCodec::encode).toList())) {
            closing = true;
        }
    }

    /** UserError(x) of the spec's conventions. */
    void sendError(String text) {
        send(Message.of("usermessage").kind("error").dest(id).privileged(true).value(text).build());
    }

    void sendWarning(String text) {
        send(Message.of("usermessage").kind("warning").dest(id).privileged(true).value(text).build());
    }

    /** Sends {@code ping} or closes a silent session (KA2); called by a timer. */
    public void keepalive(long nowNanos) {
        if (closing || !handshaken) {
            return;
        }
        long silentSeconds = (nowNanos - lastReceived) / 1_000_000_000L;
        if (silentSeconds > 45) {
            closing = true;
            connection.close(1011, "");
        } else if (silentSeconds > 20) {
            send(Message.of("ping").build());
        }
    }

    /** Closes a session that has not handshaken in time (HS1). */
    public void handshakeTimedOut() {
        if (!handshaken && !closing) {
            closing = true;
            connection.abort();
        }
    }

    // ---- Member -----------------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public List<String> permissions() {
        return permissions;
    }

    @Override
    public ObjectNode data() {
        return data;
    }

    @Override
    public boolean isWebSocket() {
        return true;
    }

    @Override
    public String address() {
        return connection.remoteAddress();
    }

    @Override
    public void groupChanged(Group g, boolean withData) {
        send(joins.joinedMessage("change", g, withData));
    }

    @Override
    public void kick(String kickerId, String kickerUsername, String message) {
        if (closing) {
            return;
        }
        String text = message == null || message.isEmpty() ? "you have been kicked out" : message;
        send(Message.of("usermessage").kind("kicked").id(kickerId).username(kickerUsername).dest(id)
                .privileged(true).value(text).build());
        StringBuilder reason = new StringBuilder("kicked out");
        if (message != null && !message.isEmpty()) {
            reason.append(" (").append(message).append(')');
        }
        if (kickerUsername != null && !kickerUsername.isEmpty()) {
            reason.append(" by ").append(kickerUsername);
        }
        closing = true;
        connection.close(1000, reason.toString());
    }

    // ---- streams: other members' threads hand over to this session's own --------------------

    @Override
    public List<UpStream> upStreams() {
        return streams.upStreams();
    }

    @Override
    public void push(UpStream up) {
        runInSession(() -> streams.push(up));
    }

    @Override
    public void upClosed(String id) {
        runInSession(() -> streams.upClosed(id));
    }

    @Override
    public void replaced(String newId, String oldId) {
        runInSession(() -> streams.replaced(newId, oldId));
    }

    @Override
    public List<ObjectNode> upStatistics() {
        return streams.upStatistics();
    }

    @Override
    public List<ObjectNode> downStatistics() {
        return streams.downStatistics();
    }

    // ---- state used by the handlers ---------------------------------------------------------

    Group group() {
        return group;
    }

    void setGroup(Group g) {
        group = g;
    }

    void setUsername(String u) {
        username = u;
    }

    void setPermissions(List<String> p) {
        permissions = List.copyOf(p);
    }

    void setData(ObjectNode d) {
        data = d;
    }

    boolean has(String permission) {
        return permissions.contains(permission);
    }

    StreamSignalling streams() {
        return streams;
    }

    /** Fails with "join a group first" (C2, UA1, GA1) when the session is not in a group. */
    Group requireGroup() {
        Group g = group;
        if (g == null) {
            sendError("join a group first");
        }
        return g;
    }
}
