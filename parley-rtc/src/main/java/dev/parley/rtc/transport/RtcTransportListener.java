package dev.parley.rtc.transport;

/**
 * Events of one {@link RtcTransport}. Every method is called on the mux's event-loop thread
 * ({@link UdpMux#eventLoop()}) and must not block. Packet buffers are valid only during the call: copy
 * what you keep.
 */
public interface RtcTransportListener {
    /** CHECKING (first valid ICE check), CONNECTED (DTLS done, SRTP keyed), FAILED, CLOSED. */
    default void onStateChange(RtcTransport transport, RtcTransport.State state) {}

    /** One decrypted RTP packet (header + payload). */
    void onRtp(RtcTransport transport, byte[] buf, int off, int len);

    /** One decrypted compound RTCP packet. */
    void onRtcp(RtcTransport transport, byte[] buf, int off, int len);
}
