package dev.parley.rtc.dtls;

/**
 * Which side of the DTLS handshake this end plays (RFC 8842 §5): the SDP's {@code a=setup} decides.
 * {@code passive} is the server, which waits for the ClientHello; {@code active} is the client, which
 * sends it once ICE has a tuple.
 */
public enum DtlsRole {
    SERVER, CLIENT
}
