/**
 * The server's WebRTC transport: {@link dev.parley.rtc.transport.UdpMux} serves one UDP port with N
 * {@link dev.parley.rtc.transport.MediaLoop}s (an event loop and an SO_REUSEPORT socket each) and
 * routes datagrams (RFC 7983) to {@link dev.parley.rtc.transport.RtcTransport}s, which combine
 * ICE-lite, DTLS and SRTP for one peer connection and deliver decrypted RTP/RTCP to an
 * {@link dev.parley.rtc.transport.RtcTransportListener} on the loop that owns the transport. Loops
 * hand packets to each other through bounded lock-free rings ({@link dev.parley.rtc.transport.MediaLoop#handOff}).
 * Design and reasons: {@code docs/media-loops.md}.
 */
package dev.parley.rtc.transport;
