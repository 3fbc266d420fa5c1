package dev.parley.rtc.dtls;

import java.io.IOException;
import dev.parley.rtc.srtp.SrtpProfile;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS 1.2 side of one peer connection, in either role (RFC 8842 §5). Parley answers offers with
 * {@code a=setup:passive} and offers {@code actpass}, so it is usually the server; an answer of
 * {@code passive} (pion always answers so to an ICE-lite offerer) or an offer of {@code passive} makes
 * it the client ({@link #setRole}).
 *
 * <p>The mux feeds received DTLS datagrams to {@link #receive}. As server (the default while the SDP
 * has not decided), the first one starts the handshake on the caller's executor (BouncyCastle's
 * {@code accept()} blocks); as client, {@link #startClient} starts it once ICE has a tuple to send
 * the ClientHello to. After the handshake the same task keeps reading, so that BouncyCastle can
 * retransmit its last flight and notice close_notify; it holds one executor thread for the session's
 * life, so give it a virtual-thread executor. Both roles send through the same
 * {@link QueueDatagramTransport} (same MTU, so handshake messages are fragmented alike) and share the
 * handshake timeout.
 *
 * <p>Listener methods are called on that executor thread.
 */
public final class DtlsSession {
    private static final Logger log = LoggerFactory.getLogger(DtlsSession.class);

    public enum State { NEW, HANDSHAKING, CONNECTED, FAILED, CLOSED }

    public interface Listener {
        /** The handshake completed; {@code keys} are the exported SRTP master keys. */
        void onConnected(SrtpKeyMaterial keys);

        /** The handshake failed (timeout, bad fingerprint, no common profile, alert...). */
        void onFailed(Exception cause);

        /** A connected session ended (peer close_notify, fatal alert, or {@link #close()}). */
        void onClosed();
    }

    private final DtlsCertificate certificate;
    private final QueueDatagramTransport transport;
    private final Executor executor;
    private final int timeoutMillis;
    private final Listener listener;
    private final List<SrtpProfile> profiles;
    private final RemoteFingerprint remoteFingerprint = new RemoteFingerprint();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private DtlsRole role; // guarded by this; null until the SDP or a ClientHello decides
    private volatile DTLSTransport dtls;

    /**
     * @param output          sends a DTLS datagram to the peer (called from the executor thread)
     * @param executor        runs the blocking handshake and read loop
     * @param handshakeTimeout the whole handshake must finish within this
     */
    public DtlsSession(DtlsCertificate certificate, QueueDatagramTransport.Output output, Executor executor,
                       Duration handshakeTimeout, Listener listener) {
        this(certificate, output, executor, handshakeTimeout, DtlsSrtpServer.PROFILES, listener);
    }

    /** @param profiles acceptable SRTP profiles, most preferred first (default: GCM, then AES-CM) */
    public DtlsSession(DtlsCertificate certificate, QueueDatagramTransport.Output output, Executor executor,
                       Duration handshakeTimeout, List<SrtpProfile> profiles, Listener listener) {
        if (profiles.isEmpty()) throw new IllegalArgumentException("no SRTP profile");
        this.profiles = List.copyOf(profiles);
        this.certificate = Objects.requireNonNull(certificate);
        this.transport = new QueueDatagramTransport(Objects.requireNonNull(output));
        this.executor = Objects.requireNonNull(executor);
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis());
        this.listener = Objects.requireNonNull(listener);
    }

    /** The fingerprint from the remote SDP; the peer's certificate must match it. May arrive after the ClientHello. */
    public void setRemoteFingerprint(Fingerprint fingerprint) {
        remoteFingerprint.set(fingerprint);
    }

    /**
     * The role the SDP negotiation gave this end. Setting the role already in force does nothing.
     *
     * @throws IllegalStateException if the session already has the other role (from an earlier SDP,
     *                               or because the peer's ClientHello made it the server): a role
     *                               change needs a new DTLS association, which is not supported
     */
    public synchronized void setRole(DtlsRole wanted) {
        Objects.requireNonNull(wanted);
        if (role == wanted) return;
        if (role != null) {
            throw new IllegalStateException("the DTLS role is already " + role.name().toLowerCase(java.util.Locale.ROOT)
                    + "; changing it needs a new DTLS association");
        }
        role = wanted;
    }

    /** The role in force; null while undecided. */
    public synchronized DtlsRole role() {
        return role;
    }

    /** Sends the ClientHello if the SDP made this end the client; call when ICE has a tuple. Idempotent. */
    public void startClient() {
        if (state.get() == State.NEW) start(DtlsRole.CLIENT);
    }

    public State state() {
        return state.get();
    }

    /**
     * Hands one received DTLS datagram to the session (copied; callable from any thread). Returns false
     * if it was dropped (session closed or failed, queue full).
     */
    public boolean receive(byte[] buf, int off, int len) {
        State s = state.get();
        if (s == State.FAILED || s == State.CLOSED) return false;
        boolean queued = transport.offer(buf, off, len);
        if (s == State.NEW) start(DtlsRole.SERVER); // a datagram before any handshake is a ClientHello
        return queued;
    }

    /** Starts the handshake in role {@code wanted} if the session is new and that is (or may become) its role. */
    private synchronized void start(DtlsRole wanted) {
        DtlsRole effective = role != null ? role : DtlsRole.SERVER; // undecided: the peer's ClientHello decides
        if (effective != wanted || !state.compareAndSet(State.NEW, State.HANDSHAKING)) return;
        role = effective;
        try {
            executor.execute(() -> run(effective));
        } catch (RejectedExecutionException e) {
            fail(new IOException("executor rejected the DTLS handshake", e));
        }
    }

    private void run(DtlsRole r) {
        DTLSTransport t;
        SrtpKeyMaterial keys;
        BooleanSupplier peerClosed;
        try {
            if (r == DtlsRole.SERVER) {
                DtlsSrtpServer server = new DtlsSrtpServer(certificate, remoteFingerprint, timeoutMillis, profiles);
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                protocol.setVerifyRequests(false); // HelloVerifyRequest breaks fragmented ClientHellos; ICE already proved the address
                t = protocol.accept(server, transport);
                keys = server.keys();
                peerClosed = () -> server.peerClosed;
            } else {
                DtlsSrtpClient client = new DtlsSrtpClient(certificate, remoteFingerprint, timeoutMillis, profiles);
                keys = client.handshake(transport);
                t = client.transport();
                peerClosed = client::peerClosed;
            }
        } catch (Exception e) {
            fail(e);
            return;
        }
        dtls = t;
        if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) { // closed meanwhile
            closeQuietly(t);
            return;
        }
        listener.onConnected(keys);
        readUntilClosed(t, peerClosed);
    }

    private void readUntilClosed(DTLSTransport t, BooleanSupplier peerClosed) {
        byte[] buf = new byte[QueueDatagramTransport.RECEIVE_LIMIT];
        try {
            while (state.get() == State.CONNECTED && !peerClosed.getAsBoolean()) {
                t.receive(buf, 0, buf.length, 1000); // application data (SCTP) is not used: discarded
            }
        } catch (IOException e) {
            log.debug("DTLS session ended: {}", e.toString());
        }
        if (state.getAndSet(State.CLOSED) != State.CLOSED) {
            closeQuietly(t);
            transport.close();
            listener.onClosed();
        }
    }

    private void fail(Exception e) {
        transport.close();
        State prev = state.getAndSet(State.FAILED);
        if (prev == State.CLOSED) {
            state.set(State.CLOSED);
            return;
        }
        log.debug("DTLS handshake failed: {}", e.toString());
        listener.onFailed(e);
    }

    /** Sends close_notify if connected and stops. Idempotent. */
    public void close() {
        State prev = state.getAndSet(State.CLOSED);
        if (prev == State.CLOSED) return;
        DTLSTransport t = dtls;
        if (t != null) closeQuietly(t);
        transport.close();
        remoteFingerprint.abandon();
        if (prev == State.CONNECTED) listener.onClosed();
    }

    private static void closeQuietly(DTLSTransport t) {
        try {
            t.close();
        } catch (IOException | RuntimeException ignored) {
            // best effort close_notify
        }
    }
}
