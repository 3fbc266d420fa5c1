package dev.parley.client;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file being sent to or received from another user, peer to peer over a data channel,
 * interoperable with the reference web client (file-transfer protocol version "1"):
 * {@code usermessage} kind {@code filetransfer} carries invite/offer/answer/ice/cancel, the
 * receiver opens one reliable channel labelled {@code file}, the sender writes chunks of at
 * most 16384 bytes, and the receiver confirms with the text {@code done}.
 *
 * <p>Data is streamed from and to disk; nothing holds the whole file in memory.
 * State: "" → inviting → connecting → connected → done → closed, or any → cancelled → closed;
 * {@code onevent} fires on each change and on progress ("connected" repeatedly).
 */
public final class TransferredFile {
    // This class is the public face and the state machine; the peer connection, the sending
    // and the receiving each have their own class.

    private final ServerConnection sc;
    private final String userid;
    private final String id;
    private final boolean up;
    private final String username;
    private final String name;
    private final String mimetype;
    private final long size;
    private volatile String version;
    private volatile String state = "";
    private volatile Path file;
    private volatile Callbacks.FileEvent onevent;
    private final AtomicLong datalen = new AtomicLong();
    private final FilePeer peer;
    /** Uploads only. */
    private final FileSendPump sender;
    /** Downloads only, once accepted. */
    private volatile FileReceiveSink receiver;

    TransferredFile(ServerConnection sc, String userid, String id, boolean up, String username, String name,
                    String mimetype, long size) {
        this.sc = sc;
        this.userid = userid;
        this.id = id;
        this.up = up;
        this.username = username;
        this.name = name;
        this.mimetype = mimetype;
        this.size = size;
        // the parts read the fields above through this object: create them last
        this.peer = new FilePeer(this);
        this.sender = up ? new FileSendPump(this) : null;
    }

    /**
     * The connection the transfer is signalled through.
     *
     * @return the connection
     */
    public ServerConnection sc() {
        return sc;
    }

    /**
     * The other side of the transfer.
     *
     * @return the peer's user id
     */
    public String userid() {
        return userid;
    }

    /**
     * The transfer's id, chosen by the sender and unique per sender.
     *
     * @return the file id (32 hex digits for our own uploads)
     */
    public String id() {
        return id;
    }

    /**
     * The file-transfer protocol version agreed with the peer.
     *
     * @return "1" once agreed; null for an upload until the peer's offer arrives
     */
    public String version() {
        return version;
    }

    void version(String v) {
        version = v;
    }

    /**
     * The direction of the transfer.
     *
     * @return true when we send the file, false when we receive it
     */
    public boolean up() {
        return up;
    }

    /**
     * Where the transfer is: "" (created), "inviting" (offered, waiting for the receiver),
     * "connecting", "connected" (data flowing), "done", "cancelled", then "closed".
     *
     * @return the current state
     */
    public String state() {
        return state;
    }

    void state(String s) {
        state = s;
    }

    /**
     * The peer's username.
     *
     * @return the username the peer had when the transfer started, or null
     */
    public String username() {
        return username;
    }

    /**
     * The file's name as the sender announced it, without a directory. For a download it
     * comes from the peer: don't use it as a path without checking it.
     *
     * @return the file name, or null when the peer sent none
     */
    public String name() {
        return name;
    }

    /**
     * The file's media type as the sender announced it.
     *
     * @return the type (e.g. "text/plain"); "" when unknown
     */
    public String mimetype() {
        return mimetype;
    }

    /**
     * The file's size as the sender announced it; a download ends when this many bytes
     * have arrived.
     *
     * @return the size in bytes
     */
    public long size() {
        return size;
    }

    /**
     * Progress: compare with {@link #size()}. {@code onevent("connected")} fires as it grows.
     *
     * @return bytes sent or received so far
     */
    public long datalen() {
        return datalen.get();
    }

    /**
     * The peer connection the file travels over, peer to peer (not through the server).
     *
     * @return the connection, or null before "connecting" and after "closed"
     */
    public RTCPeerConnection pc() {
        return peer.pc();
    }

    /**
     * The data channel the file travels over.
     *
     * @return the channel, or null before it opens and after "closed"
     */
    public RTCDataChannel dc() {
        return peer.dc();
    }

    /**
     * The file on our disk.
     *
     * @return the file being sent, or where the received file is written (null until
     *         {@link #receive()} is called)
     */
    public Path file() {
        return file;
    }

    void file(Path f) {
        file = f;
    }

    /**
     * Sets the callback run on each change of {@link #state()}, and repeatedly with
     * "connected" as data arrives or leaves. Set it in {@code onfiletransfer}.
     *
     * @param c the callback (see {@link Callbacks.FileEvent}); null to remove
     */
    public void onevent(Callbacks.FileEvent c) {
        onevent = c;
    }

    /**
     * Names the transfer uniquely on this connection.
     *
     * @return the key of this transfer in {@link ServerConnection#transferredFiles()}:
     *         the peer's id and the file id, joined by "-"
     */
    public String fullid() {
        return userid + "-" + id;
    }

    // ---------------------------------------------------------------- public actions

    /**
     * Accepts an incoming file, writing it to a new temporary file (named after the file,
     * with unsafe characters replaced); {@link #file()} tells where.
     *
     * @throws IOException when the temporary file cannot be created
     * @throws IllegalStateException for an upload, or when already accepted
     */
    public void receive() throws IOException {
        String safe = name == null ? "file" : name.replaceAll("[^A-Za-z0-9._-]", "_");
        receive(Files.createTempFile("parley-", "-" + safe));
    }

    /**
     * Accepts an incoming file, writing it to {@code target}. The file is written as data
     * arrives; on "done" it is complete and closed.
     *
     * @param target where to write; created, or truncated if it exists
     * @throws IOException when {@code target} cannot be opened for writing
     * @throws IllegalStateException for an upload, or when already accepted
     */
    public void receive(Path target) throws IOException {
        if (up) {
            throw new IllegalStateException("Receiving in wrong direction");
        }
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        sc.loop().run(() -> {
            if (peer.pc() != null) {
                FileReceiveSink.closeQuietly(out);
                throw new IllegalStateException("Download already in progress");
            }
            file = target;
            FileReceiveSink sink = new FileReceiveSink(this, out);
            receiver = sink;
            peer.offer(sink);
        });
    }

    /** Cancels the transfer, telling the peer if it knows about it. */
    public void cancel() {
        cancel(null);
    }

    /**
     * Cancels the transfer: tells the peer (with {@code message}) if it knows about it, fires
     * "cancelled" then "closed". Cancelling a finished transfer only closes it.
     *
     * @param message why, shown to the peer; or null
     */
    public void cancel(String message) {
        sc.loop().run(() -> {
            if (state.equals("closed")) {
                return;
            }
            if (!state.isEmpty() && !state.equals("done") && !state.equals("cancelled")) {
                sc.files().sendCancel(userid, id, message);
            }
            if (!state.equals("done") && !state.equals("cancelled")) {
                event("cancelled", message);
            }
            close();
        });
    }

    /** Releases the connection and forgets the transfer; use {@link #cancel} to abandon one. */
    public void close() {
        sc.loop().run(() -> {
            if (state.equals("closed")) {
                return;
            }
            // stop the data first, so that nothing is sent or written on what is being closed
            if (sender != null) {
                sender.stop();
            }
            FileReceiveSink sink = receiver;
            if (sink != null) {
                sink.close();
            }
            peer.close();
            sc.files().forget(this);
            event("closed", null);
        });
    }

    /** Ends the transfer without a handshake with the peer. */
    void fail(String message) {
        sc.loop().run(() -> {
            if (state.equals("done") || state.equals("cancelled") || state.equals("closed")) {
                return;
            }
            event("cancelled", message);
            close();
        });
    }

    /** Sets the state and calls onevent, even when unchanged (progress). Event thread only. */
    void event(String newState, Object data) {
        state = newState;
        Callbacks.FileEvent cb = onevent;
        if (cb != null) {
            EventLoop.runGuarded(() -> cb.onEvent(newState, data));
        }
    }

    /** True once the transfer can no longer make progress. */
    boolean isOver() {
        return state.equals("cancelled") || state.equals("closed") || state.equals("done");
    }

    /** Any thread: {@code n} more bytes were sent or written; reported as progress. */
    void moved(long n) {
        datalen.addAndGet(n);
        sc.loop().execute(() -> {
            if (state.equals("connected")) {
                event("connected", null);
            }
        });
    }

    /** Any thread: {@code n} more bytes, without a progress event (the last ones: "done" follows). */
    void addData(long n) {
        datalen.addAndGet(n);
    }

    FileSendPump sender() {
        return sender;
    }

    // ---------------------------------------------------------------- signalling (event thread)

    /** Sender side: the receiver's offer arrived. */
    void answer(String sdp) {
        peer.answer(sdp);
    }

    /** Receiver side: the sender's answer arrived. */
    void receiveFile(String sdp) {
        peer.gotAnswer(sdp);
    }

    void remoteCandidate(RTCIceCandidate c) {
        peer.remoteCandidate(c);
    }
}
