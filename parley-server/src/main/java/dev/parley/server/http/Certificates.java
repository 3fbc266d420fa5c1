package dev.parley.server.http;

import dev.parley.server.util.AtomicFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProtocols;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

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
            // PKCS#8, the form every TLS stack reads.
            AtomicFiles.write(key, pem(new JcaPKCS8Generator(kp.getPrivate(), null)).getBytes(StandardCharsets.US_ASCII));
            AtomicFiles.write(cert, pem(holder).getBytes(StandardCharsets.US_ASCII));
            log.info("generated a self-signed certificate in {}", cert);
        } catch (Exception e) {
            throw new IOException("cannot generate a certificate: " + e.getMessage(), e);
        }
    }

    /** The key and certificate chain of {@code <data>}; the key may be PKCS#8, SEC1 (EC) or PKCS#1 (RSA). */
    static SslContext serverContext(Path dataDir) throws IOException {
        PrivateKey key;
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(dataDir.resolve("key.pem"), StandardCharsets.US_ASCII))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object o;
            key = null;
            while (key == null && (o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) {
                    key = converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                }
            }
        }
        if (key == null) {
            throw new IOException(dataDir.resolve("key.pem") + " holds no private key");
        }
        List<X509Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(dataDir.resolve("cert.pem"))) {
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new IOException(dataDir.resolve("cert.pem") + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(dataDir.resolve("cert.pem") + " holds no certificate");
        }
        return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .protocols(SslProtocols.TLS_v1_3, SslProtocols.TLS_v1_2).build();               // H2
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }

}
