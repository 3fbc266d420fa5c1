package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;
import dev.parley.protocol.MessageCodec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket connection to a server speaking Galène's protocol version "2", and every
 * stream and file transfer that belongs to it. The Java twin of the reference JavaScript
 * {@code ServerConnection}: same members, methods and callbacks, same argument order.
 *
 * <h2>Threading</h2>
 * <ul>
 *   <li>Each connection owns one <em>event thread</em>. Every callback of the connection and of
 *       its {@link Stream}s and {@link TransferredFile}s runs there, one at a time, in the order
 *       the events happened (server messages in arrival order). Don't block in a callback.</li>
 *   <li>All state (users, streams, group, permissions…) changes only on the event thread; the
 *       getters may be read from any thread and return a consistent-enough snapshot
 *       (concurrent maps, immutable values).</li>
 *   <li>Methods may be called from any thread. Methods that send return a
 *       {@link CompletableFuture} that completes when the message is written;
 *       {@link #connect} and {@link #join} complete when the server has answered. Futures
 *       complete on internal threads: use {@code *Async} stages for heavy work.</li>
 *   <li>Exception: decoded media (video frames and audio samples given to the sinks you attach
 *       to tracks in {@code ondowntrack}) is delivered on libwebrtc's own media threads, never
 *       on the event thread, so that a slow callback cannot delay media.</li>
 * </ul>
 */
public final class ServerConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ServerConnection.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger LOCAL_IDS = new AtomicInteger();
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    static final String CLOSE_REASON = "Close requested by client";

    private final String id = newRandomId();
    private final EventLoop loop = new EventLoop("parley-client-" + CONNECTIONS.incrementAndGet());
    private final MediaEngine explicitEngine;

    private volatile String group;
    private volatile String username;
    private volatile String version;
    private volatile Long lastServerMessage;
    private volatile List<String> permissions = List.of();
    private volatile ObjectNode rtcConfiguration;
    private volatile ScheduledFuture<?> pingHandler;
    private volatile Session session;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, Stream> up = new ConcurrentHashMap<>();
    private final Map<String, Stream> down = new ConcurrentHashMap<>();
    private final Map<String, TransferredFile> transferredFiles = new ConcurrentHashMap<>();
    private final Map<String, Object> userdata = new ConcurrentHashMap<>();
    /** Candidates that arrived before the offer of their stream (S16); bounded. */
    private final Map<String, List<Message.Candidate>> earlyCandidates = new LinkedHashMap<>();
    private final List<CompletableFuture<JoinedEvent>> pendingJoins = new ArrayList<>();

    private volatile Callbacks.Connected onconnected;
    private volatile Callbacks.Error onerror;
    private volatile Callbacks.Close onclose;
    private volatile Callbacks.PeerConnection onpeerconnection;
    private volatile Callbacks.User onuser;
    private volatile Callbacks.Joined onjoined;
    private volatile Callbacks.DownStream ondownstream;
    private volatile Callbacks.Chat onchat;
    private volatile Callbacks.UserMessage onusermessage;
    private volatile Callbacks.FileTransfer onfiletransfer;

    /** A connection whose media (if any) uses {@link MediaEngine#shared()}, created on first use. */
    public ServerConnection() {
        this(null);
    }

    /**
     * A connection whose peer connections come from {@code engine}; close that engine yourself
     * when the program is done with media.
     *
     * @param engine the media engine to use; null for {@link MediaEngine#shared()}
     */
    public ServerConnection(MediaEngine engine) {
        this.explicitEngine = engine;
    }

    // ---------------------------------------------------------------- members

    /**
     * This client's id: random, chosen before connecting and sent in the handshake. Other
     * members see it as our user id, as {@code source} of our messages and as {@code dest}
     * of messages to us.
     *
     * @return 32 hex digits, fixed for the life of this object
     */
    public String id() {
        return id;
    }

    /**
     * The group we joined. Kept after a leave, reset by close (as the reference does).
     *
     * @return the group's name, or null before the first join and after close
     */
    public String group() {
        return group;
    }

    /**
     * The username the server admitted us with, which may differ from the one asked for
     * (a token can carry its own).
     *
     * @return our username while joined, otherwise null
     */
    public String username() {
        return username;
    }

    /**
     * The protocol version agreed in the handshake.
     *
     * @return "2", or null before the server's handshake and after close
     */
    public String version() {
        return version;
    }

    /**
     * When the server last sent anything; the liveness check closes the connection after 65 s
     * of silence and pings after 15 s.
     *
     * @return epoch milliseconds, or null before the first message
     */
    public Long lastServerMessage() {
        return lastServerMessage;
    }

    /**
     * What the server allows us in the group, such as "present" (publish media), "op"
     * (moderate), "message" (chat) or "record".
     *
     * @return the permissions of the last {@code joined}; empty when not joined
     */
    public List<String> permissions() {
        return permissions;
    }

    /**
     * The ICE configuration the server sent (STUN/TURN servers and their credentials), as
     * JSON. {@link #getRTCConfiguration()} turns it into what libwebrtc takes.
     *
     * @return the {@code rtcConfiguration} of the last {@code joined}, or null when not joined
     */
    public ObjectNode rtcConfiguration() {
        return rtcConfiguration;
    }

    /**
     * The liveness timer, which runs every 10 s while connected. Exposed as the reference
     * exposes it; cancelling it disables the timeout and the pings.
     *
     * @return the timer, or null when not connected
     */
    public ScheduledFuture<?> pingHandler() {
        return pingHandler;
    }

    /**
     * The underlying WebSocket. Send through {@link #send} rather than on it directly:
     * the library serialises writes, and the JDK allows only one at a time.
     *
     * @return the socket, or null when not connected
     */
    public WebSocket socket() {
        Session s = session;
        return s == null ? null : s.socket.socket();
    }

    /**
     * The members of the group, ourself included, as the server last announced them.
     * Updated before {@code onuser} is called.
     *
     * @return users by id, unmodifiable; empty when not joined
     */
    public Map<String, User> users() {
        return Collections.unmodifiableMap(users);
    }

    /**
     * The streams we send, created by {@link #newUpStream}.
     *
     * @return open up streams by stream id, unmodifiable
     */
    public Map<String, Stream> up() {
        return Collections.unmodifiableMap(up);
    }

    /**
     * The streams we receive, offered by the server (see {@link #ondownstream}).
     *
     * @return open down streams by stream id, unmodifiable
     */
    public Map<String, Stream> down() {
        return Collections.unmodifiableMap(down);
    }

    /**
     * The file transfers in progress, both directions.
     *
     * @return transfers by {@link TransferredFile#fullid()}, unmodifiable
     */
    public Map<String, TransferredFile> transferredFiles() {
        return Collections.unmodifiableMap(transferredFiles);
    }

    /**
     * A place for the application to keep its own data about this connection; the library
     * never reads it.
     *
     * @return a mutable, thread-safe map
     */
    public Map<String, Object> userdata() {
        return userdata;
    }

    // ---------------------------------------------------------------- callbacks

    /**
     * Sets the callback run when the server's handshake arrives: the connection is usable and
     * {@link #join} may be called.
     *
     * @param c the callback; null to remove
     */
    public void onconnected(Callbacks.Connected c) {
        onconnected = c;
    }

    /**
     * Sets the callback run on a fatal error (socket failure, invalid server message,
     * timeout, or {@link #error}); {@code onclose} follows. Without a callback errors are
     * logged.
     *
     * @param c the callback; null to remove
     */
    public void onerror(Callbacks.Error c) {
        onerror = c;
    }

    /**
     * Sets the callback run once when the connection has ended, whoever ended it. Streams
     * and transfers are closed, and {@code onjoined("leave")} has been called, before it.
     *
     * @param c called with the WebSocket close code and reason (1006 and "" when the socket
     *          failed); null to remove
     */
    public void onclose(Callbacks.Close c) {
        onclose = c;
    }

    /**
     * Sets the callback asked for the ICE configuration before each new peer connection
     * (streams and file transfers), e.g. to force relaying through TURN.
     *
     * @param c returns a configuration, or null to use the server's; null to remove
     */
    public void onpeerconnection(Callbacks.PeerConnection c) {
        onpeerconnection = c;
    }

    /**
     * Sets the callback run when a member of the group arrives, changes (permissions, data,
     * streams) or leaves. {@link #users()} is already updated.
     *
     * @param c called with the user's id and "add", "change" or "delete"; null to remove
     */
    public void onuser(Callbacks.User c) {
        onuser = c;
    }

    /**
     * Sets the callback run when the server answers a join, changes our permissions or the
     * group's status, redirects us, or we leave (including when the connection closes).
     *
     * @param c the callback (see {@link Callbacks.Joined}); null to remove
     */
    public void onjoined(Callbacks.Joined c) {
        onjoined = c;
    }

    /**
     * Sets the callback run when the server offers us a stream, and again for the same
     * {@link Stream} on renegotiation. Set the stream's {@code ondowntrack} there; media
     * arrives only after this callback returns.
     *
     * @param c called with the down stream; null to remove
     */
    public void ondownstream(Callbacks.DownStream c) {
        ondownstream = c;
    }

    /**
     * Sets the callback run for each chat message, including the server's echo of our own
     * and the history sent after a join.
     *
     * @param c the callback (see {@link Callbacks.Chat}); null to remove
     */
    public void onchat(Callbacks.Chat c) {
        onchat = c;
    }

    /**
     * Sets the callback run for each application-specific message: errors, warnings and
     * kicks from the server, and {@link #userMessage} from other members (file-transfer
     * messages are handled by the library instead).
     *
     * @param c the callback (see {@link Callbacks.UserMessage}); null to remove
     */
    public void onusermessage(Callbacks.UserMessage c) {
        onusermessage = c;
    }

    /**
     * Sets the callback run when a peer offers us a file, and synchronously inside
     * {@link #sendFile} for our own uploads. Set the transfer's {@code onevent} there, and
     * call {@link TransferredFile#receive()} to accept an incoming file. Without this callback
     * incoming files are refused.
     *
     * @param c the callback; it may throw to refuse the transfer; null to remove
     */
    public void onfiletransfer(Callbacks.FileTransfer c) {
        onfiletransfer = c;
    }

    // ---------------------------------------------------------------- connection

    /**
     * Connects to {@code url} (ws:// or wss://) and sends the handshake. The future completes
     * when the server's handshake arrives (just after {@code onconnected}) and fails if the
     * connection ends first.
     *
     * @param url the server's WebSocket endpoint, e.g. {@code ws://127.0.0.1:8443/ws}
     * @return completes on the server's handshake
     * @throws IllegalStateException when this object is already connected
     * @throws IllegalArgumentException when {@code url} is not a valid URI
     */
    public CompletableFuture<Void> connect(String url) {
        return connect(URI.create(url));
    }

    /**
     * Connects to {@code url}: the same as {@link #connect(String)}.
     *
     * @param url the server's WebSocket endpoint
     * @return completes on the server's handshake
     * @throws IllegalStateException when this object is already connected
     */
    public CompletableFuture<Void> connect(URI url) {
        return loop.call(() -> {
            if (session != null) {
                throw new IllegalStateException("Attempting to connect stale connection");
            }
            Session s = new Session();
            session = s;
            pingHandler = loop.every(10_000, this::checkLiveness);
            s.socket.open(SharedHttp.CLIENT, url);
            return s.connected;
        });
    }

    /** Closes the connection; {@code onjoined("leave")} (if joined) then {@code onclose} follow. */
    @Override
    public void close() {
        loop.execute(() -> {
            Session s = session;
            if (s == null) {
                return;
            }
            session = null;
            s.socket.sendClose(WebSocket.NORMAL_CLOSURE, CLOSE_REASON);
            // a server that never answers our close frame must not keep us half-open
            loop.after(3000, () -> {
                if (!s.ended) {
                    s.socket.abort();
                    teardown(s, WebSocket.NORMAL_CLOSURE, CLOSE_REASON);
                }
            });
        });
    }

    /**
     * Reports a fatal error and ends the connection: calls {@code onerror(e)}, then closes.
     *
     * @param e the error passed to {@code onerror}
     */
    public void error(Throwable e) {
        loop.execute(() -> {
            callError(e);
            close();
        });
    }

    /**
     * Sends one protocol message as it is, for messages the other methods don't build.
     *
     * @param m the message
     * @return completes when the message is written to the socket
     * @throws IllegalStateException when the connection is not open
     */
    public CompletableFuture<Void> send(Message m) {
        Session s = session;
        if (s == null) {
            throw new IllegalStateException("Connection is not open");
        }
        return s.socket.sendText(MessageCodec.encode(m));
    }

    private void checkLiveness() {
        if (session == null) {
            return;
        }
        Long last = lastServerMessage;
        if (last == null) {
            error(new IllegalStateException("Timeout"));
            return;
        }
        long d = System.currentTimeMillis() - last;
        if (d > 65_000) {
            error(new IllegalStateException("Timeout"));
            return;
        }
        if (version != null && d >= 15_000) {
            trySend(Message.of("ping").build());
        }
    }

    private void trySend(Message m) {
        try {
            send(m);
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "not sent: {0}", e.getMessage());
        }
    }

    /** One WebSocket lifetime; events of an old socket can never touch a newer one. */
    private final class Session implements SignallingSocket.Events {
        final SignallingSocket socket = new SignallingSocket(loop, this);
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        boolean ended;

        @Override
        public void opened() {
            try {
                socket.sendText(MessageCodec.encode(Message.of("handshake").version(List.of("2")).id(id).build()));
            } catch (RuntimeException e) {
                error(e);
            }
        }

        @Override
        public void text(String text) {
            if (ended) {
                return;
            }
            Message m;
            try {
                com.fasterxml.jackson.databind.JsonNode tree = Json.parse(text);
                if (tree == null || !tree.isObject()) {
                    error(new IllegalStateException("server message is not a JSON object"));
                    return;
                }
                try {
                    m = MessageCodec.decode((ObjectNode) tree);
                } catch (MessageCodec.MalformedMessageException e) {
                    // valid JSON of an unexpected shape: one bad message must not end the session
                    LOG.log(System.Logger.Level.WARNING, "ignoring malformed server message: {0}", e.getMessage());
                    return;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                error(new IOException("invalid JSON from server: " + e.getOriginalMessage(), e));
                return;
            }
            if (!"handshake".equals(m.type()) && version == null) {
                error(new IllegalStateException("Server didn't send handshake"));
                return;
            }
            lastServerMessage = System.currentTimeMillis();
            dispatch(this, m);
        }

        @Override
        public void closed(int code, String reason) {
            if (code == 1006 && !ended) {
                // as in browsers: an abnormal closure is reported as an error first
                callError(new IOException("Socket error: connection lost"));
            }
            teardown(this, code, reason);
        }

        @Override
        public void failed(Throwable error) {
            if (ended) {
                return;
            }
            callError(new IOException("Socket error: " + error.getMessage(), error));
            socket.abort();
            teardown(this, 1006, "");
        }
    }

    private void teardown(Session s, int code, String reason) {
        if (s.ended) {
            return;
        }
        s.ended = true;
        if (session == s) {
            session = null;
        }
        permissions = List.of();
        for (Stream c : List.copyOf(up.values())) {
            c.close(false);
        }
        for (Stream c : List.copyOf(down.values())) {
            c.close(false);
        }
        for (TransferredFile f : List.copyOf(transferredFiles.values())) {
            f.fail("connection closed");
        }
        for (String uid : List.copyOf(users.keySet())) {
            users.remove(uid);
            callUser(uid, "delete");
        }
        if (group != null) {
            callJoined("leave", group, List.of(), Json.object(), Json.object(), "", "");
        }
        group = null;
        username = null;
        version = null;
        ScheduledFuture<?> ping = pingHandler;
        if (ping != null) {
            ping.cancel(false);
            pingHandler = null;
        }
        IllegalStateException ended = new IllegalStateException("connection closed (" + code + " " + reason + ")");
        s.connected.completeExceptionally(ended);
        failPendingJoins(ended);
        Callbacks.Close cb = onclose;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onClose(code, reason));
        }
    }

    // ---------------------------------------------------------------- dispatch

    private void dispatch(Session s, Message m) {
        String type = m.type() == null ? "" : m.type();
        switch (type) {
            case "handshake" -> {
                if (m.version() != null && m.version().contains("2")) {
                    version = "2";
                } else {
                    version = null;
                    error(new IllegalStateException("Unknown protocol version " + m.version()));
                    return;
                }
                Callbacks.Connected cb = onconnected;
                if (cb != null) {
                    EventLoop.runGuarded(cb::onConnected);
                }
                s.connected.complete(null);
            }
            case "offer" -> gotOffer(m.id(), m.label(), m.source(), m.username(), m.sdp(), m.replace());
            case "answer" -> gotAnswer(m.id(), m.sdp());
            case "renegotiate" -> gotRenegotiate(m.id());
            case "close" -> gotClose(m.id());
            case "abort" -> gotAbort(m.id());
            case "ice" -> gotRemoteIce(m.id(), m.candidate());
            case "joined" -> gotJoined(m);
            case "user" -> gotUser(m);
            case "chat", "chathistory" -> {
                Callbacks.Chat cb = onchat;
                if (cb != null) {
                    boolean history = type.equals("chathistory");
                    String text = m.value() == null ? "" : m.value().isTextual() ? m.value().asText() : m.value().toString();
                    EventLoop.runGuarded(() -> cb.onChat(m.id(), m.source(), m.dest(), m.username(),
                            parseTime(m.time()), m.privileged(), history, m.kind(), text));
                }
            }
            case "usermessage" -> {
                if ("filetransfer".equals(m.kind())) {
                    fileTransfer(m.source(), m.username(), m.value());
                } else {
                    Callbacks.UserMessage cb = onusermessage;
                    if (cb != null) {
                        EventLoop.runGuarded(() -> cb.onUserMessage(m.source(), m.dest(), m.username(),
                                parseTime(m.time()), m.privileged(), m.kind(), m.error(), m.value()));
                    }
                }
            }
            case "ping" -> trySend(Message.of("pong").build());
            case "pong" -> {
            }
            default -> LOG.log(System.Logger.Level.WARNING, "Unexpected server message {0}", type);
        }
    }

    private void gotJoined(Message m) {
        String kind = m.kind() == null ? "" : m.kind();
        switch (kind) {
            case "leave", "fail" -> {
                for (String uid : List.copyOf(users.keySet())) {
                    users.remove(uid);
                    callUser(uid, "delete");
                }
                username = null;
                permissions = List.of();
                rtcConfiguration = null;
            }
            case "join", "change" -> {
                if (kind.equals("join") && group != null && !group.equals(m.group())) {
                    LOG.log(System.Logger.Level.WARNING, "Joined multiple groups");
                } else if (kind.equals("change") && !java.util.Objects.equals(m.group(), group)) {
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
        callJoined(kind, m.group(), perms, status, data, m.error(), message);
        if (!kind.equals("change")) {
            JoinedEvent event = new JoinedEvent(kind, m.group(), perms, status, data, m.error(), message);
            List<CompletableFuture<JoinedEvent>> waiting = List.copyOf(pendingJoins);
            pendingJoins.clear();
            waiting.forEach(f -> f.complete(event));
        }
    }

    private void gotUser(Message m) {
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
                for (TransferredFile f : List.copyOf(transferredFiles.values())) {
                    if (uid.equals(f.userid())) {
                        f.fail("user has gone away");
                    }
                }
                users.remove(uid);
            }
            default -> {
                LOG.log(System.Logger.Level.WARNING, "Unknown user action {0}", m.kind());
                return;
            }
        }
        callUser(uid, m.kind());
    }

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

    void callUser(String uid, String kind) {
        Callbacks.User cb = onuser;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onUser(uid, kind));
        }
    }

    private void callJoined(String kind, String g, List<String> perms, ObjectNode status, ObjectNode data,
                            String err, String message) {
        Callbacks.Joined cb = onjoined;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onJoined(kind, g, perms, status, data, err, message));
        }
    }

    void callError(Throwable e) {
        Callbacks.Error cb = onerror;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onError(e));
        } else {
            LOG.log(System.Logger.Level.WARNING, "connection error", e);
        }
    }

    private void failPendingJoins(Throwable e) {
        List<CompletableFuture<JoinedEvent>> waiting = List.copyOf(pendingJoins);
        pendingJoins.clear();
        waiting.forEach(f -> f.completeExceptionally(e));
    }

    // ---------------------------------------------------------------- group

    /**
     * Joins {@code group} with a password: the same as
     * {@code join(group, username, Credentials.password(password), null)}.
     *
     * @param group    the group's name
     * @param username the username to join as
     * @param password the password
     * @return completes with the server's answer (see {@link #join(String, String, Credentials, ObjectNode)})
     */
    public CompletableFuture<JoinedEvent> join(String group, String username, String password) {
        return join(group, username, Credentials.password(password), null);
    }

    /**
     * Requests to join {@code group}. {@code onjoined} is called with the answer; the future
     * completes with the same arguments when the answer ("join", "fail" or "redirect") arrives.
     * A refused join is not an exceptional completion: check {@link JoinedEvent#kind()}.
     *
     * @param group       the group's name
     * @param username    the username to join as; null to send none (a token names the user)
     * @param credentials a password, a token, or an authorisation server to ask for a token
     * @param data        initial user data that other members see, or null
     * @return completes with the server's answer; fails when the message cannot be sent, the
     *         authorisation server refuses, or the connection ends first
     */
    public CompletableFuture<JoinedEvent> join(String group, String username, Credentials credentials,
                                               ObjectNode data) {
        CompletableFuture<Message> message = switch (credentials) {
            case Credentials.Password p -> CompletableFuture.completedFuture(
                    joinMessage(group, username, data).password(p.password()).build());
            case Credentials.Token t -> CompletableFuture.completedFuture(
                    joinMessage(group, username, data).token(t.token()).build());
            case Credentials.AuthServer a -> askAuthServer(a, username)
                    .thenApply(token -> token == null
                            ? joinMessage(group, username, data).password(a.password()).build()
                            : joinMessage(group, username, data).token(token).build());
        };
        return message.thenComposeAsync(m -> {
            CompletableFuture<JoinedEvent> answer = new CompletableFuture<>();
            pendingJoins.add(answer);
            send(m).whenComplete((x, e) -> {
                if (e != null) {
                    answer.completeExceptionally(e);
                }
            });
            return answer;
        }, loop);
    }

    private static Message.Builder joinMessage(String group, String username, ObjectNode data) {
        return Message.of("join").kind("join").group(group).username(username).data(data);
    }

    /** Returns the JWT of the authorisation server, or null when it answers 204 (use the password). */
    private CompletableFuture<String> askAuthServer(Credentials.AuthServer a, String username) {
        ObjectNode body = Json.object();
        body.put("location", a.location());
        body.put("username", username);
        body.put("password", a.password());
        HttpRequest request = HttpRequest.newBuilder(URI.create(a.authServer()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        return SharedHttp.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() == 204) {
                return null;
            }
            if (r.statusCode() < 200 || r.statusCode() >= 300) {
                throw new IllegalStateException("The authorisation server said " + r.statusCode());
            }
            String ctype = r.headers().firstValue("Content-Type").orElseThrow(
                    () -> new IllegalStateException("The authorisation server didn't return a content type"));
            int semi = ctype.indexOf(';');
            ctype = (semi >= 0 ? ctype.substring(0, semi) : ctype).trim();
            if (!ctype.equalsIgnoreCase("application/jwt")) {
                throw new IllegalStateException("The authorisation server returned " + ctype);
            }
            if (r.body().isEmpty()) {
                throw new IllegalStateException("The authorisation server returned an empty token");
            }
            return r.body();
        });
    }

    /**
     * Leaves {@code group}; {@code onjoined("leave")} follows. The connection stays open and
     * may join again.
     *
     * @param group the group to leave
     * @return completes when the request is written to the socket
     * @throws IllegalStateException when the connection is not open
     */
    public CompletableFuture<Void> leave(String group) {
        return send(Message.of("join").kind("leave").group(group).build());
    }

    /**
     * Sets the tracks we want from every label: label → list of "audio", "video", "video-low";
     * the label "" is the default. Nothing is received until this is called: the server
     * offers down streams only for what was requested.
     *
     * @param what for each label, the kinds of track to receive
     * @return completes when the request is written to the socket
     * @throws IllegalStateException when the connection is not open
     */
    public CompletableFuture<Void> request(Map<String, List<String>> what) {
        ObjectNode r = Json.object();
        what.forEach((label, kinds) -> r.set(label, Json.strings(kinds)));
        return send(Message.of("request").request(r).build());
    }

    /**
     * Sends a chat message. The server echoes it to us through {@code onchat} (without
     * {@code dest} it goes to everybody) and keeps it in the chat history.
     *
     * @param kind  "" for a plain message, "me" for an action ("/me waves")
     * @param dest  the recipient's id for a private message; "" or null for everybody
     * @param value the text
     * @return completes when the message is written to the socket
     * @throws IllegalStateException when the connection is not open
     */
    public CompletableFuture<Void> chat(String kind, String dest, String value) {
        return send(Message.of("chat").source(id).dest(dest).username(username).kind(kind).value(value).build());
    }

    /**
     * Asks the server to act on a user, without a value: the same as
     * {@code userAction(kind, dest, null)}.
     *
     * @param kind the action (see {@link #userAction(String, String, JsonNode)})
     * @param dest the id of the user to act on
     * @return completes when the request is written to the socket
     * @throws IllegalStateException when the connection is not open
     */
    public CompletableFuture<Void> userAction(String kind, String dest) {
        return userAction(kind, dest, null);
    }

    /**
     * Asks the server to act on a user. Most actions need the "op" permission; a refusal
     * arrives as an {@code error} user message.
     *
     * @param kind  "op", "unop", "present", "unpresent", "shutup", "unshutup", "kick",
     *              "identify" or "setdata"
     * @param dest  the id of the user to act on
     * @param value an action-dependent value (the message of a kick, the data of a setdata),
     *              or null
     * @return completes when the request is written to the socket
     * @throws IllegalStateException when the connection is not open
     */
    public CompletableFuture<Void> userAction(String kind, String dest, JsonNode value) {
        return send(Message.of("useraction").source(id).dest(dest).username(username).kind(kind).value(value).build());
    }

    /**
     * Sends an application-specific message, echoed back to us: the same as
     * {@code userMessage(kind, dest, value, false)}.
     *
     * @param kind  the application's message kind
     * @param dest  the recipient's id; "" or null for everybody
     * @param value the payload, or null
     * @return completes when the message is written to the socket
     * @throws IllegalStateException when the connection is not open
     */
    public CompletableFuture<Void> userMessage(String kind, String dest, JsonNode value) {
        return userMessage(kind, dest, value, false);
    }

    /**
     * Sends an application-specific message to one member or to everybody. Unlike chat it is
     * not kept in the history; recipients get it through {@code onusermessage}.
     *
     * @param kind   the application's message kind
     * @param dest   the recipient's id; "" or null for everybody
     * @param value  the payload, or null
     * @param noecho true not to receive our own broadcast back
     * @return completes when the message is written to the socket
     * @throws IllegalStateException when the connection is not open
     */
    public CompletableFuture<Void> userMessage(String kind, String dest, JsonNode value, boolean noecho) {
        return send(Message.of("usermessage").source(id).dest(dest).username(username).kind(kind)
                .value(value).noecho(noecho).build());
    }

    /**
     * Asks the server to act on the group, without a value: the same as
     * {@code groupAction(kind, null)}.
     *
     * @param kind the action (see {@link #groupAction(String, JsonNode)})
     * @return completes when the request is written to the socket
     * @throws IllegalStateException when the connection is not open
     */
    public CompletableFuture<Void> groupAction(String kind) {
        return groupAction(kind, null);
    }

    /**
     * Asks the server to act on the group we joined. Needs the "op" permission (or "record"
     * for recording); a refusal arrives as an {@code error} user message.
     *
     * @param kind "lock", "unlock", "record", "unrecord", "subgroups", "clearchat", "setdata",
     *             or a token action ("maketoken", "edittoken", "listtokens")
     * @param data an action-dependent value (the message of a lock, the object of a setdata),
     *             or null
     * @return completes when the request is written to the socket
     * @throws IllegalStateException when the connection is not open
     */
    public CompletableFuture<Void> groupAction(String kind, JsonNode data) {
        return send(Message.of("groupaction").source(id).kind(kind).username(username).value(data).build());
    }

    // ---------------------------------------------------------------- streams

    /**
     * Finds one of our up streams by the application's name for it.
     *
     * @param localId the local id given to {@link #newUpStream(String)}
     * @return the open up stream with that local id, or null
     */
    public Stream findByLocalId(String localId) {
        if (localId == null || localId.isEmpty()) {
            return null;
        }
        for (Stream s : up.values()) {
            if (localId.equals(s.localId())) {
                return s;
            }
        }
        return null;
    }

    /**
     * The ICE configuration for a new peer connection.
     *
     * @return what {@code onpeerconnection} returns, or else the server's
     *         {@link #rtcConfiguration()} converted for libwebrtc
     */
    public RTCConfiguration getRTCConfiguration() {
        Callbacks.PeerConnection cb = onpeerconnection;
        if (cb != null) {
            RTCConfiguration conf = cb.onPeerConnection();
            if (conf != null) {
                return conf;
            }
        }
        return RtcConfigurations.fromJson(rtcConfiguration);
    }

    /**
     * Creates an up stream with a fresh local id: the same as {@code newUpStream(null)}.
     *
     * @return the new stream, its peer connection created
     */
    public Stream newUpStream() {
        return newUpStream(null);
    }

    /**
     * Creates an up stream whose peer connection exists. Set its label, then add tracks; the
     * library sends the offer by itself. An existing up stream with the same local id is
     * replaced (closed with {@code replace=true}, and the new stream's offer carries its id).
     *
     * @param localId the application's name for the stream; null or "" for a fresh one
     * @return the new stream, its peer connection created
     */
    public Stream newUpStream(String localId) {
        return loop.call(() -> {
            String sid = newRandomId();
            RTCConfiguration conf = getRTCConfiguration();
            String oldId = null;
            if (localId != null && !localId.isEmpty()) {
                Stream old = findByLocalId(localId);
                if (old != null) {
                    oldId = old.id();
                    old.close(true);
                }
            }
            Stream c = new Stream(this, sid, localId == null || localId.isEmpty() ? newLocalId() : localId, true);
            c.attach(engine().createPeerConnection(conf, c.observer()));
            c.replace(oldId);
            up.put(sid, c);
            return c;
        });
    }

    /**
     * One HTTP client for every connection: a client per connection was never closed, so each
     * connection left a selector thread and pool workers behind until a garbage collection.
     * Created on first use (a holder class) so that merely loading this class starts no thread.
     */
    private static final class SharedHttp {
        static final HttpClient CLIENT = HttpClient.newHttpClient();
    }

    MediaEngine engine() {
        return explicitEngine != null ? explicitEngine : MediaEngine.shared();
    }

    EventLoop loop() {
        return loop;
    }

    void forget(Stream s) {
        if (s.up()) {
            up.remove(s.id(), s);
        } else {
            down.remove(s.id(), s);
        }
    }

    void forget(TransferredFile f) {
        transferredFiles.remove(f.fullid(), f);
    }

    void remember(TransferredFile f) {
        transferredFiles.put(f.fullid(), f);
    }

    /** Recomputes {@code users().get(uid).streams()}; true if it changed. */
    boolean recomputeUserStreams(String uid) {
        User user = users.get(uid);
        if (user == null) {
            return false;
        }
        Map<String, Map<String, Boolean>> streams = new LinkedHashMap<>();
        for (Stream c : (uid.equals(id) ? up : down).values()) {
            if (!uid.equals(id) && !uid.equals(c.source())) {
                continue;
            }
            if (c.tracks().isEmpty()) {
                continue;
            }
            Map<String, Boolean> kinds = streams.computeIfAbsent(c.label() == null ? "" : c.label(),
                    k -> new LinkedHashMap<>());
            c.tracks().forEach(t -> kinds.put(t.getKind(), true));
        }
        if (streams.equals(user.streams())) {
            return false;
        }
        users.put(uid, user.withStreams(streams));
        return true;
    }

    /**
     * Called by the library when the server offers a down stream; don't call.
     *
     * @param sid      the stream id
     * @param label    the stream's label
     * @param source   the presenting client's id
     * @param username the presenter's username
     * @param sdp      the offer
     * @param replace  the id of the down stream this one replaces, or null
     */
    public void gotOffer(String sid, String label, String source, String username, String sdp, String replace) {
        loop.run(() -> {
            if (sid == null || sid.isEmpty()) {
                return;
            }
            if (up.containsKey(sid)) {
                LOG.log(System.Logger.Level.ERROR, "Duplicate connection id {0}", sid);
                trySend(Message.of("abort").id(sid).build());
                return;
            }
            String oldLocalId = null;
            if (replace != null && !replace.isEmpty()) {
                Stream old = down.get(replace);
                if (old != null) {
                    oldLocalId = old.localId();
                    old.close(true);
                }
            }
            Stream c = down.get(sid);
            if (c == null) {
                c = new Stream(this, sid, oldLocalId != null ? oldLocalId : newLocalId(), false);
                try {
                    c.attach(engine().createPeerConnection(getRTCConfiguration(), c.observer()));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "peer connection failed", e);
                    trySend(Message.of("abort").id(sid).build());
                    return;
                }
                c.label(label);
                down.put(sid, c);
                List<Message.Candidate> early = earlyCandidates.remove(sid);
                if (early != null) {
                    early.forEach(c::gotRemoteIce);
                }
            }
            c.source(source);
            c.username(username);
            Callbacks.DownStream cb = ondownstream;
            if (cb != null) {
                Stream stream = c;
                EventLoop.runGuarded(() -> cb.onDownStream(stream));
            }
            c.answerOffer(sdp);
        });
    }

    /**
     * Called by the library with the server's answer for an up stream; don't call.
     *
     * @param sid the stream id
     * @param sdp the answer
     */
    public void gotAnswer(String sid, String sdp) {
        loop.run(() -> {
            Stream c = up.get(sid);
            if (c == null) {
                LOG.log(System.Logger.Level.WARNING, "answer for unknown up stream {0}", sid);
                return;
            }
            c.gotAnswer(sdp);
        });
    }

    /**
     * Called by the library when the server asks for an ICE restart of an up stream; don't call.
     *
     * @param sid the stream id
     */
    public void gotRenegotiate(String sid) {
        loop.run(() -> {
            Stream c = up.get(sid);
            if (c == null) {
                LOG.log(System.Logger.Level.WARNING, "renegotiate for unknown up stream {0}", sid);
                return;
            }
            c.restartIce();
        });
    }

    /**
     * Called by the library when the server closes a down stream; don't call.
     *
     * @param sid the stream id
     */
    public void gotClose(String sid) {
        loop.run(() -> {
            Stream c = down.get(sid);
            if (c == null) {
                earlyCandidates.remove(sid);
                return; // S15: routinely sent for streams we never had
            }
            c.close(false);
        });
    }

    /**
     * Called by the library when the server refuses an up stream; don't call.
     *
     * @param sid the stream id
     */
    public void gotAbort(String sid) {
        loop.run(() -> {
            Stream c = up.get(sid);
            if (c == null) {
                LOG.log(System.Logger.Level.WARNING, "abort for unknown up stream {0}", sid);
                return;
            }
            c.close(false);
        });
    }

    /**
     * Called by the library with a server ICE candidate; don't call.
     *
     * @param sid       the stream id
     * @param candidate the candidate
     */
    public void gotRemoteIce(String sid, Message.Candidate candidate) {
        loop.run(() -> {
            if (candidate == null || sid == null) {
                return;
            }
            Stream c = up.get(sid);
            if (c == null) {
                c = down.get(sid);
            }
            if (c != null) {
                c.gotRemoteIce(candidate);
                return;
            }
            // S16: candidates may precede their offer
            if (earlyCandidates.size() >= 64 && !earlyCandidates.containsKey(sid)) {
                earlyCandidates.remove(earlyCandidates.keySet().iterator().next());
            }
            earlyCandidates.computeIfAbsent(sid, k -> new ArrayList<>()).add(candidate);
        });
    }

    // ---------------------------------------------------------------- files

    /**
     * Finds a file transfer in progress.
     *
     * @param userid the peer's id
     * @param fileid the transfer's id
     * @return the transfer, or null
     */
    public TransferredFile getTransferredFile(String userid, String fileid) {
        return transferredFiles.get(userid + "-" + fileid);
    }

    /**
     * Offers {@code file} to user {@code id}. {@code onfiletransfer} is called first (on this
     * thread's behalf, before this returns), where the application sets {@code onevent}.
     * The file is read from disk as it is sent, never held in memory.
     *
     * @param userId the recipient's id; must be a member of the group
     * @param file   a regular file
     * @return the transfer, in state "inviting" (or "closed" when {@code onfiletransfer} refused it)
     * @throws IOException when {@code file} is not a readable regular file
     * @throws IllegalArgumentException when {@code userId} is not in {@link #users()}
     */
    public TransferredFile sendFile(String userId, Path file) throws IOException {
        return FileTransfers.send(this, userId, file);
    }

    /**
     * Handles a usermessage of kind "filetransfer"; called by the library, don't call.
     *
     * @param userId   the sender's id
     * @param username the sender's username
     * @param message  the message's value
     */
    public void fileTransfer(String userId, String username, JsonNode message) {
        loop.run(() -> FileTransfers.handle(this, userId, username, message));
    }

    Callbacks.FileTransfer fileTransferCallback() {
        return onfiletransfer;
    }

    // ---------------------------------------------------------------- ids

    static String newRandomId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String newLocalId() {
        return Integer.toString(LOCAL_IDS.getAndIncrement());
    }
}
