package dev.parley.bench.peer;

import dev.parley.rtc.dtls.Fingerprint;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * The synthetic peers' self-signed ECDSA P-256 certificate. WebRTC authenticates it only through
 * the SDP fingerprint, so one certificate may be shared by every peer of a load run.
 */
public final class ClientCertificate {
    private final JcaTlsCrypto crypto;
    private final PrivateKey privateKey;
    private final Certificate chain;
    private final Fingerprint fingerprint;

    private ClientCertificate(JcaTlsCrypto crypto, PrivateKey privateKey, byte[] der) throws IOException {
        this.crypto = crypto;
        this.privateKey = privateKey;
        TlsCertificate tc = crypto.createCertificate(der);
        this.chain = new Certificate(new TlsCertificate[] {tc});
        this.fingerprint = Fingerprint.sha256(der);
    }

    public static ClientCertificate generate() {
        SecureRandom random = new SecureRandom();
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair kp = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=parley-bench");
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, new BigInteger(63, random),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name,
                    kp.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            return new ClientCertificate(new JcaTlsCryptoProvider().create(random), kp.getPrivate(), holder.getEncoded());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a DTLS certificate", e);
        }
    }

    /** For the SDP's {@code a=fingerprint:} line. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    JcaTlsCrypto crypto() {
        return crypto;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    Certificate chain() {
        return chain;
    }
}
