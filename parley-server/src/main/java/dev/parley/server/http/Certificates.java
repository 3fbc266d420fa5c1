package dev.parley.server.http;

import dev.parley.server.util.AtomicFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** The TLS certificate in {@code <data>/cert.pem} and {@code key.pem}, self-signed on first start (H2). */
final class Certificates {
    private static final Logger log = LoggerFactory.getLogger(Certificates.class);

    private Certificates() {
    }

    static void ensure(Path dataDir) throws IOException {
        Path cert = dataDir.resolve("cert.pem");
        Path key = dataDir.resolve("key.pem");
        if (Files.exists(cert) && Files.exists(key)) {
            return;
        }
        Files.createDirectories(dataDir);
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = kpg.generateKeyPair();
            X500Name name = new X500Name("CN=Parley self-signed");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, kp.getPublic());
            b.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate());
            X509CertificateHolder holder = b.build(signer);
            AtomicFiles.write(key, pem(kp.getPrivate()).getBytes(StandardCharsets.US_ASCII));
            AtomicFiles.write(cert, pem(holder).getBytes(StandardCharsets.US_ASCII));
            log.info("generated a self-signed certificate in {}", cert);
        } catch (Exception e) {
            throw new IOException("cannot generate a certificate: " + e.getMessage(), e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }

}
