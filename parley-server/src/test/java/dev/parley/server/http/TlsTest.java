package dev.parley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** H2: HTTPS by default, a generated certificate in the data directory, TLS 1.2 at least. */
class TlsTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.builder().tls().start(f -> f.group("g", "{\"public\": true}"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Path data(TestServer s) {
        return s.files().data();
    }

    private static X509Certificate certificateIn(Path dataDir) throws Exception {
        try (InputStream in = Files.newInputStream(dataDir.resolve("cert.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** A client that trusts exactly the certificate in {@code cert.pem}. */
    private static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("parley", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    private static SSLSocket connect(TestServer s, String protocol) throws Exception {
        SSLSocket socket = (SSLSocket) trusting(certificateIn(data(s))).getSocketFactory()
                .createSocket("127.0.0.1", s.port());
        socket.setSoTimeout(10_000);
        socket.setEnabledProtocols(new String[]{protocol});
        socket.startHandshake();
        return socket;
    }

    private static RawHttp.Response get(SSLSocket socket, String path) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + socket.getPort() + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return RawHttp.Response.read(socket.getInputStream(), false);
    }

    @Test
    void H2_certificateAndKeyAreGeneratedInTheDataDirectory() throws Exception {
        assertThat(data(server).resolve("cert.pem")).isRegularFile();
        assertThat(data(server).resolve("key.pem")).isRegularFile();
        assertThat(Files.readString(data(server).resolve("key.pem"))).contains("PRIVATE KEY");
        certificateIn(data(server)).checkValidity();
    }

    @Test
    void H2_tls12HandshakeServesTheCertificateFromCertPem() throws Exception {
        try (SSLSocket s = connect(server, "TLSv1.2")) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            Certificate[] chain = s.getSession().getPeerCertificates();
            assertThat(chain[0]).isEqualTo(certificateIn(data(server)));
            RawHttp.Response r = get(s, "/group/g/.status");
            assertThat(r.status()).isEqualTo(200);
            JsonNode status = Json.parse(r.text());
            // H26, H27: a TLS request gives an https base and a wss endpoint.
            assertThat(status.path("location").asText()).isEqualTo("https://127.0.0.1:" + server.port() + "/group/g/");
            assertThat(status.path("endpoint").asText()).isEqualTo("wss://127.0.0.1:" + server.port() + "/ws");
        }
    }

    @Test
    void H2_tls13HandshakeWorks() throws Exception {
        try (SSLSocket s = connect(server, "TLSv1.3")) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(get(s, "/").status()).isEqualTo(200);
        }
    }

    @Test
    void H2_tls11IsRefused() throws Exception {
        // The JDK client may not offer TLS 1.1 any more, so the hellos are written by hand; the
        // TLS 1.2 hello is the control that shows the probe itself works.
        assertThat(firstRecordType(clientHello(0x0302))).isNotEqualTo(0x16);
        assertThat(firstRecordType(clientHello(0x0303))).isEqualTo(0x16);
    }

    @Test
    void H2_plainHttpIsNotServedOnTheTlsPort() {
        RawHttp.Response r;
        try {
            r = RawHttp.to(server).target("/").send();
        } catch (RuntimeException e) {
            return;
        }
        assertThat(r.status()).isNotEqualTo(200);
    }

    @Test
    void H2_existingCertificateIsReused() throws Exception {
        Path cert = data(server).resolve("cert.pem");
        Path key = data(server).resolve("key.pem");
        try (TestServer second = TestServer.builder().tls().start(f -> {
            Files.copy(cert, f.data().resolve("cert.pem"));
            Files.copy(key, f.data().resolve("key.pem"));
        })) {
            try (SSLSocket s = connect(second, "TLSv1.2")) {
                assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(certificateIn(data(server)));
            }
        }
    }

    @Test
    void H2_sec1EcKeyIsAccepted() throws Exception {
        // Keys written by other tools are often "EC PRIVATE KEY" (SEC1) rather than PKCS#8.
        java.security.KeyPairGenerator kpg = java.security.KeyPairGenerator.getInstance("EC");
        kpg.initialize(256);
        java.security.KeyPair kp = kpg.generateKeyPair();
        var name = new org.bouncycastle.asn1.x500.X500Name("CN=sec1 test");
        var holder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.ONE,
                new java.util.Date(System.currentTimeMillis() - 86_400_000L),
                new java.util.Date(System.currentTimeMillis() + 86_400_000L), name, kp.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder);
        try (TestServer s = TestServer.builder().tls().start(f -> {
            f.data("cert.pem", pem(cert));
            // As openssl writes it: the curve in the [0] parameters field.
            var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                    ((java.security.interfaces.ECPrivateKey) kp.getPrivate()).getS(),
                    new org.bouncycastle.asn1.x9.X962Parameters(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1));
            f.data("key.pem", "-----BEGIN EC PRIVATE KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(sec1.getEncoded())
                    + "\n-----END EC PRIVATE KEY-----\n");
        })) {
            assertThat(Files.readString(data(s).resolve("key.pem"))).contains("BEGIN EC PRIVATE KEY");
            try (SSLSocket socket = connect(s, "TLSv1.2")) {
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(cert);
            }
        }
    }

    private static String pem(Object o) throws java.io.IOException {
        java.io.StringWriter w = new java.io.StringWriter();
        try (var pw = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }

    /** The content type of the server's first TLS record (0x16 handshake, 0x15 alert), or -1 if it closed. */
    private static int firstRecordType(byte[] hello) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            try {
                return s.getInputStream().read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer to the client hello");
            } catch (java.io.IOException e) {
                return -1;
            }
        }
    }

    /** A minimal ClientHello for the given legacy version with ECDHE-ECDSA suites (the key is P-256). */
    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version & 0xff);
        body.writeBytes(new byte[32]);                                      // random
        body.write(0);                                                      // session id
        int[] suites = version >= 0x0303 ? new int[]{0xC02B, 0xC009} : new int[]{0xC009, 0xC00A};
        body.write(0);
        body.write(suites.length * 2);
        for (int s : suites) {
            body.write(s >> 8);
            body.write(s & 0xff);
        }
        body.write(1);                                                      // compression: null
        body.write(0);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        ext.writeBytes(new byte[]{0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17});   // supported_groups: P-256
        ext.writeBytes(new byte[]{0x00, 0x0b, 0x00, 0x02, 0x01, 0x00});               // ec_point_formats
        if (version >= 0x0303) {
            ext.writeBytes(new byte[]{0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03}); // ecdsa_secp256r1_sha256
        }
        body.write(ext.size() >> 8);
        body.write(ext.size() & 0xff);
        body.writeBytes(ext.toByteArray());
        byte[] b = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[]{0x16, 0x03, 0x01});
        int hsLength = b.length + 4;
        record.write(hsLength >> 8);
        record.write(hsLength & 0xff);
        record.write(0x01);                                                 // client_hello
        record.write(0);
        record.write(b.length >> 8);
        record.write(b.length & 0xff);
        record.writeBytes(b);
        return record.toByteArray();
    }
}
