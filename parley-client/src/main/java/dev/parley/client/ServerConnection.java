package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;
import dev.parley.protocol.MessageCodec;

import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.Collections;
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
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    static final String CLOSE_REASON = "Close requested by client";
    /** How long a close waits for the server's close frame before dropping the socket. */
    private static final long CLOSE_TIMEOUT_MS = 3000;

    // This class is the public face and the socket's lifecycle; each other job has its own class.
    private final String id = Ids.random();
    private final EventLoop loop = new EventLoop("parley-client-" + CONNECTIONS.incrementAndGet());
    private final MediaEngine explicitEngine;
    private final Map<String, Object> userdata = new ConcurrentHashMap<>();
    private final ConnectionCallbacks callbacks = new ConnectionCallbacks();
    private final Membership membership = new Membership(this);
    private final StreamSignalling streams = new StreamSignalling(this);
    private final FileTransfers files = new FileTransfers(this);
    private final ServerMessages messages = new ServerMessages(this);
    private final Liveness liveness = new Liveness(this);

    private volatile SocketSession session;
    private volatile String version;
    private volatile Long lastServerMessage;

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
        return membership.group();
    }

    /**
     * The username the server admitted us with, which may differ from the one asked for
     * (a token can carry its own).
     *
     * @return our username while joined, otherwise null
     */
    public String username() {
        return membership.username();
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
        return membership.permissions();
    }

    /**
     * The ICE configuration the server sent (STUN/TURN servers and their credentials), as
     * JSON. {@link #getRTCConfiguration()} turns it into what libwebrtc takes.
     *
     * @return the {@code rtcConfiguration} of the last {@code joined}, or null when not joined
     */
    public ObjectNode rtcConfiguration() {
        return membership.rtcConfiguration();
    }

    /**
     * The liveness timer, which runs every 10 s while connected. Exposed as the reference
     * exposes it; cancelling it disables the timeout and the pings.
     *
     * @return the timer, or null when not connected
     */
    public ScheduledFuture<?> pingHandler() {
        return liveness.timer();
    }

    /**
     * The underlying WebSocket. Send through {@link #send} rather than on it directly:
     * the library serialises writes, and the JDK allows only one at a time.
     *
     * @return the socket, or null when not connected
     */
    public WebSocket socket() {
        SocketSession s = session;
        return s == null ? null : s.socket.socket();
    }

    /**
     * The members of the group, ourself included, as the server last announced them.
     * Updated before {@code onuser} is called.
     *
     * @return users by id, unmodifiable; empty when not joined
     */
    public Map<String, User> users() {
        return Collections.unmodifiableMap(membership.users());
    }

    /**
     * The streams we send, created by {@link #newUpStream}.
     *
     * @return open up streams by stream id, unmodifiable
     */
    public Map<String, Stream> up() {
        return Collections.unmodifiableMap(streams.up());
    }

    /**
     * The streams we receive, offered by the server (see {@link #ondownstream}).
     *
     * @return open down streams by stream id, unmodifiable
     */
    public Map<String, Stream> down() {
        return Collections.unmodifiableMap(streams.down());
    }

    /**
     * The file transfers in progress, both directions.
     *
     * @return transfers by {@link TransferredFile#fullid()}, unmodifiable
     */
    public Map<String, TransferredFile> transferredFiles() {
        return Collections.unmodifiableMap(files.all());
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
        callbacks.onconnected = c;
    }

    /**
     * Sets the callback run on a fatal error (socket failure, invalid server message,
     * timeout, or {@link #error}); {@code onclose} follows. Without a callback errors are
     * logged.
     *
     * @param c the callback; null to remove
     */
    public void onerror(Callbacks.Error c) {
        callbacks.onerror = c;
    }

    /**
     * Sets the callback run once when the connection has ended, whoever ended it. Streams
     * and transfers are closed, and {@code onjoined("leave")} has been called, before it.
     *
     * @param c called with the WebSocket close code and reason (1006 and "" when the socket
     *          failed); null to remove
     */
    public void onclose(Callbacks.Close c) {
        callbacks.onclose = c;
    }

    /**
     * Sets the callback asked for the ICE configuration before each new peer connection
     * (streams and file transfers), e.g. to force relaying through TURN.
     *
     * @param c returns a configuration, or null to use the server's; null to remove
     */
    public void onpeerconnection(Callbacks.PeerConnection c) {
        callbacks.onpeerconnection = c;
    }

    /**
     * Sets the callback run when a member of the group arrives, changes (permissions, data,
     * streams) or leaves. {@link #users()} is already updated.
     *
     * @param c called with the user's id and "add", "change" or "delete"; null to remove
     */
    public void onuser(Callbacks.User c) {
        callbacks.onuser = c;
    }

    /**
     * Sets the callback run when the server answers a join, changes our permissions or the
     * group's status, redirects us, or we leave (including when the connection closes).
     *
     * @param c the callback (see {@link Callbacks.Joined}); null to remove
     */
    public void onjoined(Callbacks.Joined c) {
        callbacks.onjoined = c;
    }

    /**
     * Sets the callback run when the server offers us a stream, and again for the same
     * {@link Stream} on renegotiation. Set the stream's {@code ondowntrack} there; media
     * arrives only after this callback returns.
     *
     * @param c called with the down stream; null to remove
     */
    public void ondownstream(Callbacks.DownStream c) {
        callbacks.ondownstream = c;
    }

    /**
     * Sets the callback run for each chat message, including the server's echo of our own
     * and the history sent after a join.
     *
     * @param c the callback (see {@link Callbacks.Chat}); null to remove
     */
    public void onchat(Callbacks.Chat c) {
        callbacks.onchat = c;
    }

    /**
     * Sets the callback run for each application-specific message: errors, warnings and
     * kicks from the server, and {@link #userMessage} from other members (file-transfer
     * messages are handled by the library instead).
     *
     * @param c the callback (see {@link Callbacks.UserMessage}); null to remove
     */
    public void onusermessage(Callbacks.UserMessage c) {
        callbacks.onusermessage = c;
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
        callbacks.onfiletransfer = c;
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
            SocketSession s = new SocketSession(this);
            session = s;
            liveness.start();
            s.socket.open(SharedHttp.CLIENT, url);
            return s.connected;
        });
    }

    /** Closes the connection; {@code onjoined("leave")} (if joined) then {@code onclose} follow. */
    @Override
    public void close() {
        loop.execute(() -> {
            SocketSession s = session;
            if (s == null) {
                return;
            }
            session = null;
            s.socket.sendClose(WebSocket.NORMAL_CLOSURE, CLOSE_REASON);
            // a server that never answers our close frame must not keep us half-open
            loop.after(CLOSE_TIMEOUT_MS, () -> {
                if (!s.ended) {
                    s.socket.abort();
                    ended(s, WebSocket.NORMAL_CLOSURE, CLOSE_REASON);
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
            callbacks.error(e);
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
        SocketSession s = session;
        if (s == null) {
            throw new IllegalStateException("Connection is not open");
        }
        return s.socket.sendText(MessageCodec.encode(m));
    }

    /** Sends if the connection is open; for messages whose loss the protocol tolerates (pong, abort). */
    void trySend(Message m) {
        try {
            send(m);
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "not sent: {0}", e.getMessage());
        }
    }

    /** True between {@link #connect} and the start of {@link #close} or the end of the socket. */
    boolean isOpen() {
        return session != null;
    }

    /** Event thread: any message from the server proves it alive. */
    void heardFromServer() {
        lastServerMessage = System.currentTimeMillis();
    }

    /** Event thread: the server's handshake; only protocol version "2" is spoken. */
    void gotHandshake(SocketSession s, List<String> versions) {
        if (versions == null || !versions.contains("2")) {
            version = null;
            error(new IllegalStateException("Unknown protocol version " + versions));
            return;
        }
        version = "2";
        callbacks.connected();
        s.connected.complete(null);
    }

    /**
     * Event thread: the socket of {@code s} has ended, whoever ended it. Runs once per session:
     * closes every stream and transfer, forgets the group as the reference does, fails what
     * waits for the server, then calls {@code onclose}.
     */
    void ended(SocketSession s, int code, String reason) {
        if (s.ended) {
            return;
        }
        s.ended = true;
        if (session == s) {
            session = null;
        }
        membership.revokePermissions();
        streams.closeAll();
        files.failAllWith(null, "connection closed");
        membership.connectionEnded();
        version = null;
        liveness.stop();
        IllegalStateException ended = new IllegalStateException("connection closed (" + code + " " + reason + ")");
        s.connected.completeExceptionally(ended);
        membership.failPendingJoins(ended);
        callbacks.close(code, reason);
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
        return membership.join(group, username, credentials, data);
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
        return send(Message.of("chat").source(id).dest(dest).username(username()).kind(kind).value(value).build());
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
        return send(Message.of("useraction").source(id).dest(dest).username(username()).kind(kind).value(value)
                .build());
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
        return send(Message.of("usermessage").source(id).dest(dest).username(username()).kind(kind)
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
        return send(Message.of("groupaction").source(id).kind(kind).username(username()).value(data).build());
    }

    // ---------------------------------------------------------------- streams

    /**
     * Finds one of our up streams by the application's name for it.
     *
     * @param localId the local id given to {@link #newUpStream(String)}
     * @return the open up stream with that local id, or null
     */
    public Stream findByLocalId(String localId) {
        return streams.findByLocalId(localId);
    }

    /**
     * The ICE configuration for a new peer connection.
     *
     * @return what {@code onpeerconnection} returns, or else the server's
     *         {@link #rtcConfiguration()} converted for libwebrtc
     */
    public RTCConfiguration getRTCConfiguration() {
        RTCConfiguration conf = callbacks.peerConnection();
        return conf != null ? conf : RtcConfigurations.fromJson(membership.rtcConfiguration());
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
        return loop.call(() -> streams.newUpStream(localId));
    }

    // ---------------------------------------------------------------- the parts, for each other

    MediaEngine engine() {
        return explicitEngine != null ? explicitEngine : MediaEngine.shared();
    }

    EventLoop loop() {
        return loop;
    }

    ConnectionCallbacks callbacks() {
        return callbacks;
    }

    Membership membership() {
        return membership;
    }

    StreamSignalling streams() {
        return streams;
    }

    FileTransfers files() {
        return files;
    }

    ServerMessages messages() {
        return messages;
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
        loop.run(() -> streams.gotOffer(sid, label, source, username, sdp, replace));
    }

    /**
     * Called by the library with the server's answer for an up stream; don't call.
     *
     * @param sid the stream id
     * @param sdp the answer
     */
    public void gotAnswer(String sid, String sdp) {
        loop.run(() -> streams.gotAnswer(sid, sdp));
    }

    /**
     * Called by the library when the server asks for an ICE restart of an up stream; don't call.
     *
     * @param sid the stream id
     */
    public void gotRenegotiate(String sid) {
        loop.run(() -> streams.gotRenegotiate(sid));
    }

    /**
     * Called by the library when the server closes a down stream; don't call.
     *
     * @param sid the stream id
     */
    public void gotClose(String sid) {
        loop.run(() -> streams.gotClose(sid));
    }

    /**
     * Called by the library when the server refuses an up stream; don't call.
     *
     * @param sid the stream id
     */
    public void gotAbort(String sid) {
        loop.run(() -> streams.gotAbort(sid));
    }

    /**
     * Called by the library with a server ICE candidate; don't call.
     *
     * @param sid       the stream id
     * @param candidate the candidate
     */
    public void gotRemoteIce(String sid, Message.Candidate candidate) {
        loop.run(() -> streams.gotRemoteIce(sid, candidate));
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
        return files.get(userid, fileid);
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
        return files.send(userId, file);
    }

    /**
     * Handles a usermessage of kind "filetransfer"; called by the library, don't call.
     *
     * @param userId   the sender's id
     * @param username the sender's username
     * @param message  the message's value
     */
    public void fileTransfer(String userId, String username, JsonNode message) {
        loop.run(() -> files.handle(userId, username, message));
    }
}
