/**
 * DTLS 1.2 server for DTLS-SRTP on BouncyCastle bctls. {@link dev.parley.rtc.dtls.DtlsServerSession}
 * runs one handshake on a caller's executor from datagrams the mux feeds in, checks the client
 * certificate against the SDP {@link dev.parley.rtc.dtls.Fingerprint}, and exports
 * {@link dev.parley.rtc.dtls.SrtpKeyMaterial}. {@link dev.parley.rtc.dtls.DtlsCertificate} is the
 * server's self-signed ECDSA P-256 certificate.
 */
package dev.parley.rtc.dtls;
