package dev.parley.server.sfu;

import dev.parley.rtc.dtls.DtlsRole;
import dev.parley.rtc.sdp.Fingerprint;

/**
 * The SFU's view of one peer connection's transport (ICE-lite + DTLS + SRTP).
 * All callbacks of {@link Listener} run on the transport's media loop, and
 * {@link #sendRtp}/{@link #sendRtcp} must be called there too.
 */
public interface MediaTransport {
    LocalEndpoint local();

    /** The remote side's DTLS fingerprint, from its SDP. */
    void setRemoteFingerprint(Fingerprint fingerprint);

    /**
     * The DTLS role the SDP negotiation gave the server ({@link DtlsSetup}). Transports without
     * DTLS (a recording) ignore it.
     *
     * @throws IllegalStateException if the transport already plays the other role
     */
    default void setDtlsRole(DtlsRole role) {
    }

    /** The remote side's ICE username fragment, from its SDP: checks must carry it. */
    void setRemoteUfrag(String ufrag);

    /**
     * New local ICE credentials (S12, S14, S24) paired with the peer's new ufrag, or null when
     * it is not known yet (a server-initiated restart learns it from the answer).
     */
    LocalEndpoint restartIce(String newRemoteUfrag);

    boolean isConnected();

    /**
     * True once the transport can never carry media again (DTLS failed, or ICE and DTLS did not
     * complete in time): an ICE restart cannot revive it, the stream needs a new transport.
     * Transports without a network path (the recorder's) never die.
     */
    default boolean isDead() {
        return false;
    }

    void sendRtp(byte[] buf, int off, int len);

    /**
     * Sends an RTP packet that went out before, unchanged (a plain retransmission). Returns false
     * when the transport refused it: under AEAD_AES_128_GCM an SRTP index may be protected again
     * only with the same bytes (the nonce would be reused, media-path pitfall 4).
     */
    default boolean resendRtp(byte[] buf, int off, int len) {
        sendRtp(buf, off, len);
        return true;
    }

    void sendRtcp(byte[] buf, int off, int len);

    /** Runs a task on the media loop that owns this transport. */
    void execute(Runnable task);

    /**
     * The media loop that owns this transport, or null when it has none of its own (test fakes,
     * which run everything on the caller's thread). Receivers on another loop than their
     * presenter's are served through {@link Fanout}.
     */
    default dev.parley.rtc.transport.MediaLoop loop() {
        return null;
    }

    /**
     * When the packet being handled by {@link Listener#onRtp}/{@link Listener#onRtcp} arrived at the
     * machine, in {@link System#nanoTime()}'s domain, given {@code nowNanos} read just before: the
     * kernel's receive time where the transport has one, else {@code nowNanos}. Call only during
     * those callbacks. It is what transport-cc feedback and jitter must measure (issue #14): a
     * packet the loop gets round to late still arrived when it arrived.
     */
    default long arrivalNanos(long nowNanos) {
        return nowNanos;
    }

    void close();

    /** Events of a transport; buffers are only valid during the call. */
    interface Listener {
        void onConnected();

        /**
         * The transport failed. When {@code recoverable} (ICE consent lost), an ICE restart may
         * revive it; otherwise it is dead ({@link #isDead()}) and the stream must close.
         */
        void onFailed(boolean recoverable);

        void onRtp(byte[] buf, int off, int len);

        void onRtcp(byte[] buf, int off, int len);
    }
}
