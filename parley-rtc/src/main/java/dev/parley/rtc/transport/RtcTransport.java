package dev.parley.rtc.transport;

import dev.parley.rtc.dtls.DtlsRole;
import dev.parley.rtc.dtls.DtlsSession;
import dev.parley.rtc.dtls.Fingerprint;
import dev.parley.rtc.dtls.SrtpKeyMaterial;
import dev.parley.rtc.ice.IceCandidate;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.ice.IceLiteAgent;
import dev.parley.rtc.srtp.SrtpContext;
import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.rtc.srtp.SrtpStatus;
import dev.parley.rtc.stun.StunMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media transport of one peer connection: ICE-lite, DTLS (either role) and SRTP/SRTCP over the
 * shared {@link UdpMux} socket. Create with {@link UdpMux#createTransport}.
 *
 * <p>Threading: everything runs on the transport's media loop ({@link #loop()}, chosen by the mux
 * when the transport is created), including the listener callbacks. {@link #sendRtp}/{@link #sendRtcp} are allocation-free when called on that
 * thread; from another thread they copy the packet and post it. Configuration methods
 * ({@link #setRemoteFingerprint}, {@link #setDtlsRole}, {@link #setRemoteIceParameters}, {@link #restartIce}, {@link #close})
 * may be called from any thread.
 */
public final class RtcTransport {
    private static final Logger log = LoggerFactory.getLogger(RtcTransport.class);

    public enum State {
        /** Created, no valid ICE check yet. */
        NEW,
        /** ICE has a selected tuple; DTLS in progress. */
        CHECKING,
        /** DTLS done, SRTP keyed: media flows. */
        CONNECTED,
        /**
         * ICE consent expired, DTLS failed, or ICE and DTLS did not complete within the handshake
         * timeout of the transport's creation. Only a consent failure is recoverable
         * ({@link #isRecoverable()}): an ICE restart ({@link #restartIce} and a valid check with the
         * new credentials) brings the transport back to CONNECTED with the same DTLS keys. The others
         * are terminal: the transport rejects every check, and its owner must close it.
         */
        FAILED,
        /** Closed locally or by the peer's close_notify. Terminal. */
        CLOSED
    }

    private final UdpMux mux;
    private final MediaLoop loop;
    private final RtcTransportListener listener;
    /** Datagrams another loop received for us come through here (see {@link MediaLoop}). */
    private final HandoffTarget relayTarget;
    private final IceLiteAgent ice;
    private final DtlsSession dtls;
    private final MuxCounters counters;
    private final byte[] sendBuf = new byte[UdpMux.MAX_DATAGRAM + 64];
    private volatile State state = State.NEW;
    private volatile InetSocketAddress selected;
    /** Ufrags this transport has in the mux's table; guarded by this, like every change to it. */
    private final java.util.Set<String> registeredUfrags = new java.util.HashSet<>();
    private boolean unregistered;        // guarded by this: closed, nothing may be registered again
    /** Validated remote tuples and the loop that receives each; loop-confined. */
    private final List<Tuple> tuples = new ArrayList<>();
    private SrtpContext inbound;   // loop-confined
    private InetSocketAddress sockaddrOf;  // loop-confined: the tuple {@link #sockaddr} encodes
    private byte[] sockaddr;
    private SrtpContext outbound;  // loop-confined
    private volatile SrtpProfile profile;
    private volatile boolean dead;       // DTLS failed or never connected: no restart can help
    private final long createdNanos = System.nanoTime();
    private String ufragAtIceFailure;    // loop-confined; non-null while FAILED by consent

    private record Tuple(InetSocketAddress address, MediaLoop arrival) {
    }

    RtcTransport(UdpMux mux, MediaLoop loop, RtcTransportListener listener) {
        this.mux = mux;
        this.loop = loop;
        this.relayTarget = (from, b, off, len, arg) -> loop.onRelayed(this, (InetSocketAddress) from, b, off, len, arg);
        this.listener = Objects.requireNonNull(listener);
        this.counters = mux.counters();
        this.ice = new IceLiteAgent(IceCredentials.random());
        registeredUfrags.add(ice.localCredentials().ufrag()); // the mux registers it on creation
        this.dtls = new DtlsSession(mux.certificate(), this::sendDtls, mux.config().dtlsExecutor(),
                mux.config().handshakeTimeout(), mux.config().srtpProfiles(), new DtlsEvents());
    }

    // ---- for SDP ----

    /** Local ICE ufrag and password ({@code a=ice-ufrag}, {@code a=ice-pwd}). */
    public IceCredentials localIceCredentials() {
        return ice.localCredentials();
    }

    /** Local DTLS fingerprint ({@code a=fingerprint:sha-256 ...}). Announce {@code a=setup:passive} (answer) or {@code actpass} (offer). */
    public Fingerprint localFingerprint() {
        return mux.certificate().fingerprint();
    }

    /** Host candidates ({@code a=candidate:...}); Parley is ICE-lite, so also announce {@code a=ice-lite}. */
    public List<IceCandidate> localCandidates() {
        return mux.localCandidates();
    }

    /** The remote {@code a=fingerprint}; the peer's DTLS certificate must match. May come after the ClientHello. */
    public void setRemoteFingerprint(Fingerprint fingerprint) {
        dtls.setRemoteFingerprint(fingerprint);
    }

    /**
     * The DTLS role the SDP gave this end (RFC 8842 §5): {@code SERVER} when the peer is {@code active},
     * {@code CLIENT} when it is {@code passive}. Until set, a ClientHello makes this end the server. As
     * client the handshake starts once ICE has selected a tuple.
     *
     * @throws IllegalStateException if the other role is already in force
     */
    public void setDtlsRole(DtlsRole role) {
        dtls.setRole(role);
        if (selected != null) dtls.startClient(); // else the first valid check starts it
    }

    /**
     * The remote {@code a=ice-ufrag} for the current local credentials (a lite agent needs no remote
     * password). Checks must then carry USERNAME {@code localUfrag:remoteUfrag}. Null = accept any.
     */
    public void setRemoteIceParameters(String remoteUfrag) {
        ice.setRemoteUfrag(remoteUfrag);
    }

    /**
     * ICE restart (the remote SDP carries a new ice-ufrag, or the SFU decides to restart): returns new
     * local credentials for the next SDP, paired with the peer's new ufrag (null = any). The current
     * tuple and credentials keep working until the peer's first valid check with the new credentials,
     * which then selects its tuple; after a consent failure that check revives the transport.
     */
    public IceCredentials restartIce(String newRemoteUfrag) {
        synchronized (this) {
            IceCredentials fresh = ice.restart(newRemoteUfrag);
            syncUfragRegistrations();
            return fresh;
        }
    }

    /**
     * Makes the mux's ufrag table hold exactly the credentials the agent still accepts (none once
     * closed). Restarts (signalling threads), completed restarts (the loop) and close all go
     * through here under one lock, so no interleaving can leave a stale ufrag reaching us.
     */
    private synchronized void syncUfragRegistrations() {
        java.util.Set<String> valid = new java.util.HashSet<>();
        if (!unregistered) {
            valid.add(ice.localCredentials().ufrag());
            IceCredentials previous = ice.previousCredentials();
            if (previous != null) valid.add(previous.ufrag());
        }
        for (var it = registeredUfrags.iterator(); it.hasNext(); ) {
            String u = it.next();
            if (!valid.contains(u)) {
                mux.unregisterUfrag(u, this);
                it.remove();
            }
        }
        for (String u : valid) {
            if (registeredUfrags.add(u)) mux.registerUfrag(u, this);
        }
    }

    public State state() {
        return state;
    }

    /** The remote tuple media is sent to; null before the first valid check. */
    public InetSocketAddress selectedRemote() {
        return selected;
    }

    /** The negotiated SRTP profile; null before CONNECTED. */
    public SrtpProfile srtpProfile() {
        return profile;
    }

    public io.netty.channel.EventLoop eventLoop() {
        return loop.eventLoop();
    }

    /** The media loop that owns this transport: its state, callbacks and sends. */
    public MediaLoop loop() {
        return loop;
    }

    HandoffTarget relayTarget() {
        return relayTarget;
    }

    // ---- media out ----

    /**
     * Encrypts an RTP packet into a reused buffer and sends it to the selected tuple. The caller's buffer
     * is not modified. Returns false (packet dropped) unless CONNECTED or if it is not RTP.
     */
    public boolean sendRtp(byte[] buf, int off, int len) {
        return send(false, buf, off, len) > 0;
    }

    /**
     * As {@link #sendRtp} for a packet sent before (a plain retransmission); returns false only
     * when SRTP refused it ({@link SrtpStatus#NONCE_REUSE}: under GCM, an index already protected
     * with other bytes). A packet dropped because the transport is not connected counts as sent,
     * as any other packet then.
     */
    public boolean resendRtp(byte[] buf, int off, int len) {
        return send(false, buf, off, len) != SrtpStatus.NONCE_REUSE;
    }

    /** As {@link #sendRtp} for a compound RTCP packet. */
    public boolean sendRtcp(byte[] buf, int off, int len) {
        return send(true, buf, off, len) > 0;
    }

    /** Bytes handed to the socket, 0 when not connected (or posted to the loop), or SRTP's negative status. */
    private int send(boolean rtcp, byte[] buf, int off, int len) {
        if (len > UdpMux.MAX_DATAGRAM - 32) throw new IllegalArgumentException("packet of " + len + " bytes is too large");
        if (!loop.inLoop()) {
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            loop.execute(() -> send(rtcp, copy, 0, copy.length));
            return state == State.CONNECTED ? len : 0;
        }
        SrtpContext out = outbound;
        InetSocketAddress to = selected;
        if (state != State.CONNECTED || out == null || to == null) return 0;
        int n = rtcp ? out.protectRtcp(buf, off, len, sendBuf, 0) : out.protectRtp(buf, off, len, sendBuf, 0);
        if (n < 0) return n;
        if (to != sockaddrOf) {
            sockaddr = DatagramBatch.sockaddr(to);     // once per selected tuple, not per datagram
            sockaddrOf = to;
        }
        loop.sendMedia(sendBuf, 0, n, to, sockaddr);
        return n;
    }

    // ---- from the mux (event loop) ----

    /** A check from {@code from}, whose datagrams loop {@code arrival} receives (maybe not ours). */
    void onStun(StunMessage m, InetSocketAddress from, boolean knownTuple, MediaLoop arrival) {
        if (!m.isBindingRequest()) {
            // Binding indications (keepalives) and stray responses need no answer
            if (!knownTuple) counters.stunRejected.incrementAndGet();
            return;
        }
        if (state == State.CLOSED || dead) {
            counters.stunRejected.incrementAndGet();
            return;
        }
        if (ice.check(m) != IceLiteAgent.VALID) {
            counters.stunRejected.incrementAndGet();
            return;
        }
        String matched = ice.matchedUfrag();
        if (state == State.FAILED
                && (matched.equals(ufragAtIceFailure) || !matched.equals(ice.localCredentials().ufrag()))) {
            // consent was lost: only credentials made by a later ICE restart may revive the transport
            counters.stunRejected.incrementAndGet();
            return;
        }
        if (!knownTuple) {
            // before the response: the peer's next datagram (its ClientHello) may reach the arrival loop at once
            mux.addRoute(arrival, from, this);
            tuples.add(new Tuple(from, arrival));
        }
        byte[] out = loop.stunScratch();
        int n = ice.writeSuccess(m, from, out, 0);
        loop.send(out, 0, n, from);
        counters.stunResponsesSent.incrementAndGet();
        boolean restarted = ice.restartCompleted();
        if (restarted) syncUfragRegistrations(); // the old credentials are no longer accepted
        InetSocketAddress sel = selected;
        if (sel == null || m.useCandidate() || restarted) {
            if (!from.equals(sel)) {
                log.debug("ICE selected {} (use-candidate={}, restart={})", from, m.useCandidate(), restarted);
                selected = from;
                sel = from;
            }
        }
        if (from.equals(sel)) ice.consentRefreshed(System.nanoTime());
        dtls.startClient(); // no-op unless the SDP made us the DTLS client and it has not started
        if (state == State.NEW) {
            setState(State.CHECKING);
        } else if (state == State.FAILED) {
            log.debug("ICE restart revived the transport on {}", sel);
            ufragAtIceFailure = null;
            setState(outbound != null ? State.CONNECTED : State.CHECKING);
        }
    }

    void onDtls(byte[] b, int off, int len) {
        if (!dtls.receive(b, off, len)) counters.dtlsDropped.incrementAndGet();
    }

    void onSrtp(boolean rtcp, byte[] b, int off, int len) {
        SrtpContext in = inbound;
        if (in == null) {
            counters.srtpBeforeKeys.incrementAndGet();
            return;
        }
        int n = rtcp ? in.unprotectRtcp(b, off, len) : in.unprotectRtp(b, off, len);
        if (n < 0) {
            switch (n) {
                case SrtpStatus.AUTH_FAILED -> counters.srtpAuthFailed.incrementAndGet();
                case SrtpStatus.REPLAYED -> counters.srtpReplayed.incrementAndGet();
                default -> counters.srtpMalformed.incrementAndGet();
            }
            return;
        }
        if (rtcp) {
            counters.rtcpDelivered.increment();
            listener.onRtcp(this, b, off, n);
        } else {
            counters.rtpDelivered.increment();
            listener.onRtp(this, b, off, n);
        }
    }

    void checkConsent(long now, long timeoutNanos) {
        State s = state;
        if ((s == State.NEW || s == State.CHECKING) && now - createdNanos > mux.config().handshakeTimeout().toNanos()) {
            // a peer that never checks (or never finishes DTLS) must not hold a transport forever
            log.debug("ICE and DTLS not done {} after creation", mux.config().handshakeTimeout());
            counters.handshakeTimeouts.incrementAndGet();
            failTerminally();
            return;
        }
        if ((s == State.CHECKING || s == State.CONNECTED) && ice.consentExpired(now, timeoutNanos)) {
            log.debug("ICE consent expired for {}", selected);
            counters.consentExpirations.incrementAndGet();
            ufragAtIceFailure = ice.localCredentials().ufrag();
            setState(State.FAILED); // keep the DTLS keys: an ICE restart may revive the transport
        }
    }

    // ---- DTLS (handshake thread) ----

    private void sendDtls(byte[] b, int off, int len) {
        InetSocketAddress to = selected;
        if (to != null) loop.send(b, off, len, to);
    }

    private final class DtlsEvents implements DtlsSession.Listener {
        @Override
        public void onConnected(SrtpKeyMaterial keys) {
            boolean server = dtls.role() == DtlsRole.SERVER; // the exported keys are client's then server's
            SrtpContext in = keys.inbound(server);
            SrtpContext out = keys.outbound(server);
            loop.execute(() -> {
                if (state == State.CLOSED) return;
                inbound = in;
                outbound = out;
                profile = keys.profile();
                if (state != State.FAILED) setState(State.CONNECTED); // consent lost meanwhile: wait for a restart
            });
        }

        @Override
        public void onFailed(Exception cause) {
            log.debug("DTLS failed: {}", cause.toString());
            counters.dtlsFailures.incrementAndGet();
            loop.execute(RtcTransport.this::failTerminally);
        }

        @Override
        public void onClosed() {
            loop.execute(RtcTransport.this::close);
        }
    }

    // ---- lifecycle ----

    private void setState(State s) {
        state = s;
        try {
            listener.onStateChange(this, s);
        } catch (RuntimeException e) {
            log.warn("transport listener failed on {}", s, e);
        }
    }

    /**
     * False once the transport can never carry media again (DTLS failed, or not connected in
     * time): an ICE restart cannot revive it. True while it works, and after a consent failure.
     */
    public boolean isRecoverable() {
        return !dead && state != State.CLOSED;
    }

    private void failTerminally() {
        dead = true;
        inbound = null;
        outbound = null;
        if (state != State.CLOSED && state != State.FAILED) setState(State.FAILED);
    }

    /** Sends DTLS close_notify, forgets the tuples and credentials, and reports CLOSED. Any thread; idempotent. */
    public void close() {
        if (!loop.inLoop()) {
            try {
                loop.execute(this::close);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                dtls.close(); // loop already stopped
            }
            return;
        }
        if (state == State.CLOSED) return;
        dtls.close();
        for (Tuple t : tuples) mux.removeRoute(t.arrival(), t.address(), this);
        tuples.clear();
        synchronized (this) {
            unregistered = true;
            syncUfragRegistrations();
        }
        mux.forget(this);
        inbound = null;
        outbound = null;
        setState(State.CLOSED);
    }
}
