package dev.parley.rtc.dtls;

import dev.parley.rtc.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;

/**
 * The browser's side of DTLS-SRTP (RFC 5764): a DTLS 1.2 client offering use_srtp, which checks
 * the server's certificate against the fingerprint from its SDP and exports the SRTP keys. Used by
 * the load generator's synthetic peers and by tests; the server itself is always the DTLS server.
 */
public final class DtlsSrtpClient {
    private final DtlsCertificate certificate;
    private final Fingerprint expectedServer;
    private final SrtpProfile[] offered;
    private volatile SrtpKeyMaterial keys;
    private volatile DTLSTransport transport;

    public DtlsSrtpClient(DtlsCertificate certificate, Fingerprint expectedServer, SrtpProfile... offered) {
        this.certificate = certificate;
        this.expectedServer = expectedServer;
        this.offered = offered;
    }

    /** Runs the handshake on the calling thread; returns the exported keys. */
    public SrtpKeyMaterial handshake(DatagramTransport datagrams) throws IOException {
        transport = new DTLSClientProtocol().connect(new Client(), datagrams);
        return keys;
    }

    /** The DTLS connection once the handshake is done (application data, close_notify). */
    public DTLSTransport transport() {
        return transport;
    }

    private final class Client extends DefaultTlsClient {
        private SrtpProfile chosen;

        Client() {
            super(certificate.crypto());
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return 15_000;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable ext = super.getClientExtensions();
            int[] ids = new int[offered.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = offered[i].id();
            }
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData d = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            if (d == null || d.getProtectionProfiles().length != 1) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter);
            }
            chosen = SrtpProfile.fromId(d.getProtectionProfiles()[0]);
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate sc) throws IOException {
                    if (!expectedServer.matches(sc.getCertificate().getCertificateAt(0).getEncoded())) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) {
                    return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), certificate.crypto(),
                            certificate.privateKey(), certificate.chain(),
                            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            keys = SrtpKeyMaterial.split(chosen, context.exportKeyingMaterial(SrtpKeyMaterial.EXPORTER_LABEL, null,
                    SrtpKeyMaterial.exportLength(chosen)));
        }
    }
}
