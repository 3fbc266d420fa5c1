/**
 * DTLS 1.2 for DTLS-SRTP on BouncyCastle bctls, in the server or the client role as the SDP's
 * {@code a=setup} decides ({@link dev.parley.rtc.dtls.DtlsRole}). {@link dev.parley.rtc.dtls.DtlsSession}
 * runs one handshake on a caller's executor from datagrams the mux feeds in, checks the peer's
 * certificate against the SDP {@link dev.parley.rtc.dtls.Fingerprint}, and exports
 * {@link dev.parley.rtc.dtls.SrtpKeyMaterial}. {@link dev.parley.rtc.dtls.DtlsCertificate} is the
 * server's self-signed ECDSA P-256 certificate.
 */
package dev.parley.rtc.dtls;
