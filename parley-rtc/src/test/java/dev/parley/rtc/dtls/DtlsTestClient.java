package dev.parley.rtc.dtls;

import dev.parley.rtc.srtp.SrtpProfile;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;

import java.io.IOException;

/** A WebRTC-like DTLS-SRTP client with its own certificate, for tests. */
public final class DtlsTestClient {
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final DtlsSrtpClient client;

    public DtlsTestClient(Fingerprint expectedServer, SrtpProfile... offered) {
        this.client = new DtlsSrtpClient(certificate, expectedServer, offered);
    }

    public Fingerprint fingerprint() {
        return certificate.fingerprint();
    }

    /** Runs the handshake (blocking) and returns the exported keys. */
    public SrtpKeyMaterial connect(DatagramTransport t) throws IOException {
        return client.handshake(t);
    }

    public DTLSTransport transport() {
        return client.transport();
    }
}
