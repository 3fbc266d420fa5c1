package dev.parley.rtc.dtls;

import dev.parley.rtc.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The client side of DTLS-SRTP (RFC 5764): a DTLS 1.2 client offering use_srtp, which checks the
 * server's certificate against the fingerprint from its SDP and exports the SRTP keys. The server
 * plays it when an answer says {@code a=setup:passive} (see {@link DtlsSession}); the load
 * generator's synthetic peers and tests use it directly.
 */
public final class DtlsSrtpClient {
    private static final int DEFAULT_TIMEOUT_MILLIS = 15_000;

    private final DtlsCertificate certificate;
    private final RemoteFingerprint expectedServer;
    private final int[] offered;
    private final int handshakeTimeoutMillis;
    private volatile SrtpKeyMaterial keys;
    private volatile DTLSTransport transport;
    private volatile boolean peerClosed;

    /** A client that knows the server's fingerprint already and offers {@code offered}, most preferred first. */
    public DtlsSrtpClient(DtlsCertificate certificate, Fingerprint expectedServer, SrtpProfile... offered) {
        this(certificate, new RemoteFingerprint(expectedServer), DEFAULT_TIMEOUT_MILLIS, List.of(offered));
    }

    DtlsSrtpClient(DtlsCertificate certificate, RemoteFingerprint expectedServer, int handshakeTimeoutMillis,
                   List<SrtpProfile> offered) {
        if (offered.isEmpty()) throw new IllegalArgumentException("no SRTP profile");
        this.certificate = certificate;
        this.expectedServer = expectedServer;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.offered = offered.stream().mapToInt(SrtpProfile::id).toArray();
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

    /** The server sent close_notify. */
    boolean peerClosed() {
        return peerClosed;
    }

    private final class Client extends DefaultTlsClient {
        private final long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(handshakeTimeoutMillis);
        private SrtpProfile chosen;

        Client() {
            super(certificate.crypto());
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only(); // bctls has no DTLS 1.3
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            // the server's certificate decides ECDSA or RSA: browsers and pion use ECDSA, some stacks RSA
            return new int[] {
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            };
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return handshakeTimeoutMillis;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable ext = super.getClientExtensions();
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(offered, TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData d = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            if (d == null || d.getProtectionProfiles().length != 1) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose no single SRTP profile");
            }
            int id = d.getProtectionProfiles()[0];
            chosen = SrtpProfile.fromId(id);
            if (chosen == null || java.util.Arrays.stream(offered).noneMatch(o -> o == id)) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose an SRTP profile we did not offer");
            }
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate sc) throws IOException {
                    if (sc.getCertificate().isEmpty()) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate, "server sent no certificate");
                    }
                    expectedServer.verify(sc.getCertificate().getCertificateAt(0).getEncoded(), deadlineNanos, "server");
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

        @Override
        public void notifyAlertReceived(short level, short description) {
            if (DtlsAlerts.received(level, description)) peerClosed = true;
        }

        @Override
        public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
            DtlsAlerts.raised(level, description, message);
        }
    }
}
