package dev.parley.rtc.dtls;

import java.io.IOException;
import dev.parley.rtc.srtp.SrtpProfile;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS 1.2 server side of one peer connection (WebRTC answers {@code a=setup:passive}, and
 * offers {@code actpass}, so Parley is always the DTLS server).
 *
 * <p>The mux feeds received DTLS datagrams to {@link #receive}; the first one starts the handshake on
 * the caller's executor (BouncyCastle's {@code accept()} blocks). After the handshake the same task
 * keeps reading, so that BouncyCastle can retransmit its last flight and notice close_notify; it holds
 * one executor thread for the session's life, so give it a virtual-thread executor.
 *
 * <p>Listener methods are called on that executor thread.
 */
public final class DtlsServerSession {
    private static final Logger log = LoggerFactory.getLogger(DtlsServerSession.class);

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
    private final CompletableFuture<Fingerprint> remoteFingerprint = new CompletableFuture<>();
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile DTLSTransport dtls;

    /**
     * @param output          sends a DTLS datagram to the peer (called from the executor thread)
     * @param executor        runs the blocking handshake and read loop
     * @param handshakeTimeout the whole handshake must finish within this
     */
    public DtlsServerSession(DtlsCertificate certificate, QueueDatagramTransport.Output output, Executor executor,
                             Duration handshakeTimeout, Listener listener) {
        this(certificate, output, executor, handshakeTimeout, DtlsSrtpServer.PROFILES, listener);
    }

    /** @param profiles acceptable SRTP profiles, most preferred first (default: GCM, then AES-CM) */
    public DtlsServerSession(DtlsCertificate certificate, QueueDatagramTransport.Output output, Executor executor,
                             Duration handshakeTimeout, List<SrtpProfile> profiles, Listener listener) {
        if (profiles.isEmpty()) throw new IllegalArgumentException("no SRTP profile");
        this.profiles = List.copyOf(profiles);
        this.certificate = Objects.requireNonNull(certificate);
        this.transport = new QueueDatagramTransport(Objects.requireNonNull(output));
        this.executor = Objects.requireNonNull(executor);
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis());
        this.listener = Objects.requireNonNull(listener);
    }

    /** The fingerprint from the remote SDP; the client certificate must match it. May arrive after the ClientHello. */
    public void setRemoteFingerprint(Fingerprint fingerprint) {
        if (!remoteFingerprint.complete(fingerprint)) remoteFingerprint.obtrudeValue(fingerprint);
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
        if (s == State.NEW && state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            try {
                executor.execute(this::run);
            } catch (RejectedExecutionException e) {
                fail(new IOException("executor rejected the DTLS handshake", e));
            }
        }
        return queued;
    }

    private void run() {
        DtlsSrtpServer server = new DtlsSrtpServer(certificate, remoteFingerprint, timeoutMillis, profiles);
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        protocol.setVerifyRequests(false); // HelloVerifyRequest breaks fragmented ClientHellos; ICE already proved the address
        DTLSTransport t;
        try {
            t = protocol.accept(server, transport);
        } catch (Exception e) {
            fail(e);
            return;
        }
        dtls = t;
        if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) { // closed meanwhile
            closeQuietly(t);
            return;
        }
        listener.onConnected(server.keys());
        readUntilClosed(t, server);
    }

    private void readUntilClosed(DTLSTransport t, DtlsSrtpServer server) {
        byte[] buf = new byte[QueueDatagramTransport.RECEIVE_LIMIT];
        try {
            while (state.get() == State.CONNECTED && !server.peerClosed) {
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
        remoteFingerprint.completeExceptionally(new IOException("closed"));
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
