package dev.parley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.parley.protocol.Json;
import dev.parley.protocol.Message;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
    static final int CHUNK = 16384;
    private static final long LOW_WATER = 65536;
    private static final System.Logger LOG = System.getLogger(TransferredFile.class.getName());

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
    private volatile RTCPeerConnection pc;
    private volatile RTCDataChannel dc;
    private volatile Path file;
    private volatile Callbacks.FileEvent onevent;
    private final AtomicLong datalen = new AtomicLong();
    private final List<RTCIceCandidate> candidates = new ArrayList<>();
    private final Object flow = new Object();
    private volatile boolean finished;
    private FileChannel received;

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
        return pc;
    }

    /**
     * The data channel the file travels over.
     *
     * @return the channel, or null before it opens and after "closed"
     */
    public RTCDataChannel dc() {
        return dc;
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
            if (pc != null) {
                closeQuietly(out);
                throw new IllegalStateException("Download already in progress");
            }
            file = target;
            received = out;
            RTCPeerConnection p;
            try {
                p = sc.engine().createPeerConnection(sc.getRTCConfiguration(), observer());
            } catch (RuntimeException e) {
                fail(e.getMessage());
                return;
            }
            pc = p;
            event("connecting", null);
            RTCDataChannel channel = p.createDataChannel("file", new RTCDataChannelInit());
            dc = channel;
            channel.registerObserver(new ReceiverChannel());
            Rtc.createOffer(p, false).thenCompose(offer -> Rtc.setLocal(p, offer))
                    .whenCompleteAsync((x, e) -> {
                        if (e != null) {
                            cancel(e.getMessage());
                            return;
                        }
                        if (isOver()) {
                            return;
                        }
                        ObjectNode m = message("offer");
                        m.set("version", Json.strings(List.of(version == null ? "1" : version)));
                        m.put("sdp", p.getLocalDescription().sdp);
                        signal(m);
                    }, sc.loop());
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
            finished = true;
            synchronized (flow) {
                flow.notifyAll();
            }
            RTCDataChannel channel = dc;
            dc = null;
            if (channel != null) {
                channel.unregisterObserver();
                channel.close();
                channel.dispose();
            }
            RTCPeerConnection p = pc;
            pc = null;
            if (p != null) {
                p.close();
            }
            FileChannel out = received;
            received = null;
            closeQuietly(out);
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

    private boolean isOver() {
        return state.equals("cancelled") || state.equals("closed") || state.equals("done");
    }

    // ---------------------------------------------------------------- signalling (event thread)

    /** Sender side: the receiver's offer arrived. */
    void answer(String sdp) {
        if (!up) {
            throw new IllegalStateException("Sending file in wrong direction");
        }
        if (pc != null) {
            throw new IllegalStateException("Transfer already in progress");
        }
        RTCPeerConnection p = sc.engine().createPeerConnection(sc.getRTCConfiguration(), observer());
        pc = p;
        event("connecting", null);
        Rtc.setRemote(p, RTCSdpType.OFFER, sdp)
                .thenCompose(x -> Rtc.createAnswer(p))
                .thenCompose(a -> Rtc.setLocal(p, a))
                .whenCompleteAsync((x, e) -> {
                    if (e != null) {
                        cancel(e.getMessage());
                        return;
                    }
                    if (isOver()) {
                        return;
                    }
                    ObjectNode m = message("answer");
                    m.put("sdp", p.getLocalDescription().sdp);
                    signal(m);
                    flushCandidates();
                    event("connected", null);
                }, sc.loop());
    }

    /** Receiver side: the sender's answer arrived. */
    void receiveFile(String sdp) {
        if (up) {
            throw new IllegalStateException("Receiving in wrong direction");
        }
        RTCPeerConnection p = pc;
        if (p == null) {
            return;
        }
        Rtc.setRemote(p, RTCSdpType.ANSWER, sdp).whenCompleteAsync((x, e) -> {
            if (e != null) {
                cancel(e.getMessage());
                return;
            }
            flushCandidates();
            if (!isOver()) {
                event("connected", null);
            }
        }, sc.loop());
    }

    void remoteCandidate(RTCIceCandidate c) {
        RTCPeerConnection p = pc;
        if (p == null) {
            return;
        }
        if (p.getSignalingState() == RTCSignalingState.STABLE && p.getRemoteDescription() != null) {
            p.addIceCandidate(c);
        } else {
            candidates.add(c);
        }
    }

    private void flushCandidates() {
        RTCPeerConnection p = pc;
        if (p == null) {
            return;
        }
        List<RTCIceCandidate> pending = List.copyOf(candidates);
        candidates.clear();
        pending.forEach(p::addIceCandidate);
    }

    private ObjectNode message(String type) {
        ObjectNode m = Json.object();
        m.put("type", type);
        m.put("id", id);
        return m;
    }

    private void signal(ObjectNode m) {
        try {
            sc.userMessage("filetransfer", userid, m);
        } catch (IllegalStateException e) {
            fail(e.getMessage());
        }
    }

    private PeerConnectionObserver observer() {
        return new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                sc.loop().execute(() -> {
                    if (isOver()) {
                        return;
                    }
                    ObjectNode m = message("ice");
                    ObjectNode c = m.putObject("candidate");
                    Message.Candidate mc = Rtc.toMessage(candidate);
                    c.put("candidate", mc.candidate());
                    c.put("sdpMid", mc.sdpMid());
                    c.put("sdpMLineIndex", mc.sdpMLineIndex());
                    if (mc.usernameFragment() != null) {
                        c.put("usernameFragment", mc.usernameFragment());
                    }
                    signal(m);
                });
            }

            @Override
            public void onSignalingChange(RTCSignalingState s) {
                if (s == RTCSignalingState.STABLE) {
                    sc.loop().execute(TransferredFile.this::flushCandidates);
                }
            }

            @Override
            public void onDataChannel(RTCDataChannel channel) {
                sc.loop().execute(() -> gotChannel(channel));
            }
        };
    }

    // ---------------------------------------------------------------- sending

    private void gotChannel(RTCDataChannel channel) {
        if (!up || isOver()) {
            channel.close();
            return;
        }
        if (dc != null) {
            cancel("Duplicate datachannel");
            return;
        }
        dc = channel;
        channel.registerObserver(new SenderChannel(channel));
        if (channel.getState() == RTCDataChannelState.OPEN) {
            startSending(channel);
        }
    }

    private boolean sending;

    private void startSending(RTCDataChannel channel) {
        if (sending) {
            return;
        }
        sending = true;
        Thread.ofVirtual().name("parley-file-" + id).start(() -> pump(channel));
    }

    /** Reads the file chunk by chunk, waiting while the channel's buffer is above the low-water mark. */
    private void pump(RTCDataChannel channel) {
        byte[] full = new byte[CHUNK];
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (!finished) {
                ByteBuffer buf = ByteBuffer.wrap(full);
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    continue;
                }
                // a heap buffer is sent whole, whatever its limit: the last chunk needs its own array
                byte[] chunk = n == CHUNK ? full : java.util.Arrays.copyOf(full, n);
                synchronized (flow) {
                    while (!finished && channel.getBufferedAmount() > LOW_WATER) {
                        flow.wait(100);
                    }
                }
                if (finished) {
                    return;
                }
                channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(chunk), true));
                datalen.addAndGet(n);
                sc.loop().execute(() -> {
                    if (state.equals("connected")) {
                        event("connected", null);
                    }
                });
            }
        } catch (Exception e) {
            if (!finished) {
                cancel(String.valueOf(e.getMessage()));
            }
        }
    }

    private final class SenderChannel implements RTCDataChannelObserver {
        private final RTCDataChannel channel;

        SenderChannel(RTCDataChannel channel) {
            this.channel = channel;
        }

        @Override
        public void onBufferedAmountChange(long previousAmount) {
            synchronized (flow) {
                flow.notifyAll();
            }
        }

        @Override
        public void onStateChange() {
            RTCDataChannelState s = channel.getState();
            sc.loop().execute(() -> {
                if (s == RTCDataChannelState.OPEN) {
                    startSending(channel);
                } else if (s == RTCDataChannelState.CLOSED && !isOver()) {
                    cancel("remote peer closed connection");
                }
            });
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            String text = buffer.binary ? null : StandardCharsets.UTF_8.decode(buffer.data).toString();
            sc.loop().execute(() -> {
                if (isOver()) {
                    return;
                }
                if ("done".equals(text) && datalen.get() == size) {
                    event("done", null);
                    close();
                } else {
                    cancel("unexpected data from receiver");
                }
            });
        }
    }

    // ---------------------------------------------------------------- receiving

    private final class ReceiverChannel implements RTCDataChannelObserver {
        @Override
        public void onBufferedAmountChange(long previousAmount) {
        }

        @Override
        public void onStateChange() {
            RTCDataChannel channel = dc;
            if (channel == null) {
                return;
            }
            RTCDataChannelState s = channel.getState();
            if (s == RTCDataChannelState.OPEN && size == 0 && !finished) {
                // an empty file has no chunk to trigger completion
                finished = true;
                sc.loop().execute(TransferredFile.this::completeReceive);
            } else if (s == RTCDataChannelState.CLOSED) {
                sc.loop().execute(() -> {
                    if (!isOver()) {
                        cancel("remote peer closed connection");
                    }
                });
            }
        }

        /** Runs on libwebrtc's network thread, one message at a time: the write order is the arrival order. */
        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            FileChannel out = received;
            if (out == null || finished) {
                return;
            }
            long total;
            try {
                int n = buffer.data.remaining();
                total = datalen.addAndGet(n);
                if (total > size) {
                    finished = true;
                    sc.loop().execute(() -> cancel("extra data at end of file"));
                    return;
                }
                while (buffer.data.hasRemaining()) {
                    out.write(buffer.data);
                }
            } catch (IOException e) {
                finished = true;
                sc.loop().execute(() -> cancel(e.getMessage()));
                return;
            }
            if (total < size) {
                sc.loop().execute(() -> {
                    if (state.equals("connected")) {
                        event("connected", null);
                    }
                });
                return;
            }
            finished = true;
            sc.loop().execute(TransferredFile.this::completeReceive);
        }
    }

    private void completeReceive() {
        if (isOver()) {
            return;
        }
        FileChannel out = received;
        received = null;
        try {
            if (out != null) {
                out.force(true);
                out.close();
            }
        } catch (IOException e) {
            cancel(e.getMessage());
            return;
        }
        event("done", file);
        RTCDataChannel channel = dc;
        try {
            if (channel != null) {
                channel.send(new RTCDataChannelBuffer(
                        ByteBuffer.wrap("done".getBytes(StandardCharsets.UTF_8)), false));
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "final handshake not sent", e);
        }
        // give the sender time to read "done" before the channel goes away
        sc.loop().after(2000, this::close);
    }

    private static void closeQuietly(FileChannel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close", e);
        }
    }
}
