/**
 * The server's WebRTC transport: {@link dev.parley.rtc.transport.UdpMux} owns one UDP socket and its
 * event loop and routes datagrams (RFC 7983) to {@link dev.parley.rtc.transport.RtcTransport}s, which
 * combine ICE-lite, DTLS and SRTP for one peer connection and deliver decrypted RTP/RTCP to an
 * {@link dev.parley.rtc.transport.RtcTransportListener} on the loop thread.
 */
package dev.parley.rtc.transport;
