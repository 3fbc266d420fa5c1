package dev.parley.rtc.dtls;

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
 * A self-signed ECDSA P-256 certificate for DTLS-SRTP, with its fingerprint for SDP. WebRTC peers
 * authenticate it only through the fingerprint, so validity dates and names do not matter.
 * Immutable and thread-safe; generate one at startup and share it. The same certificate serves
 * both roles (and the load generator's peers).
 */
public final class DtlsCertificate {
    private final JcaTlsCrypto crypto;
    private final PrivateKey privateKey;
    private final byte[] der;
    private final Certificate chain;
    private final Fingerprint fingerprint;

    private DtlsCertificate(JcaTlsCrypto crypto, PrivateKey privateKey, byte[] der) throws IOException {
        this.crypto = crypto;
        this.privateKey = privateKey;
        this.der = der;
        TlsCertificate tc = crypto.createCertificate(der);
        this.chain = new Certificate(new TlsCertificate[] {tc});
        this.fingerprint = Fingerprint.sha256(der);
    }

    /** Generates a fresh key pair and certificate (a few milliseconds). */
    public static DtlsCertificate generate() {
        SecureRandom random = new SecureRandom();
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair kp = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=parley-" + Long.toHexString(random.nextLong() >>> 1));
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
                            name,
                            new BigInteger(63, random),
                            Date.from(now.minus(Duration.ofDays(1))),
                            Date.from(now.plus(Duration.ofDays(365))),
                            name,
                            kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            JcaTlsCrypto crypto = new JcaTlsCryptoProvider().create(random);
            return new DtlsCertificate(crypto, kp.getPrivate(), holder.getEncoded());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate the DTLS certificate", e);
        }
    }

    /** For SDP: {@code a=fingerprint:} + {@code fingerprint().toString()}. */
    public Fingerprint fingerprint() {
        return fingerprint;
    }

    public byte[] encoded() {
        return der.clone();
    }

    public JcaTlsCrypto crypto() {
        return crypto;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public Certificate chain() {
        return chain;
    }
}
