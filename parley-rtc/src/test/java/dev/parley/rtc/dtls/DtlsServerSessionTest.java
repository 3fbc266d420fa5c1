package dev.parley.rtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.rtc.srtp.SrtpProfile;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DtlsServerSessionTest {
    static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Wires a server session and a client transport back to back in memory. */
    final class Pair implements DtlsServerSession.Listener {
        final CompletableFuture<SrtpKeyMaterial> connected = new CompletableFuture<>();
        final CompletableFuture<Exception> failed = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final AtomicReference<DtlsServerSession> server = new AtomicReference<>();
        final QueueDatagramTransport client = new QueueDatagramTransport((b, o, l) -> server.get().receive(b, o, l));

        Pair(Duration timeout) {
            server.set(new DtlsServerSession(SERVER_CERT, client::offer, executor, timeout, this));
        }

        @Override public void onConnected(SrtpKeyMaterial keys) { connected.complete(keys); }
        @Override public void onFailed(Exception cause) { failed.complete(cause); }
        @Override public void onClosed() { closed.complete(null); }
    }

    @Test
    void handshake_gcmPreferred_keysMatchOnBothSides() throws Exception {
        Pair p = new Pair(Duration.ofSeconds(10));
        DtlsTestClient client = new DtlsTestClient(SERVER_CERT.fingerprint(),
                SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM);
        p.server.get().setRemoteFingerprint(client.fingerprint());
        SrtpKeyMaterial clientKeys = client.connect(p.client);
        SrtpKeyMaterial serverKeys = p.connected.get(10, TimeUnit.SECONDS);
        assertThat(clientKeys.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(serverKeys).isEqualTo(clientKeys);
        assertThat(serverKeys.clientKey()).hasSize(16).isNotEqualTo(serverKeys.serverKey());
        assertThat(serverKeys.clientSalt()).hasSize(12);
        assertThat(p.server.get().state()).isEqualTo(DtlsServerSession.State.CONNECTED);

        // SRTP keyed from both sides interoperates: client protects, server unprotects
        byte[] rtp = new byte[100];
        rtp[0] = (byte) 0x80; rtp[11] = 1;
        int n = clientKeys.outbound(false).protectRtp(rtp, 0, 40);
        assertThat(serverKeys.inbound(true).unprotectRtp(rtp, 0, n)).isEqualTo(40);

        client.transport().close(); // close_notify
        p.closed.get(10, TimeUnit.SECONDS);
        assertThat(p.server.get().state()).isEqualTo(DtlsServerSession.State.CLOSED);
    }

    @Test
    void handshake_aesCmOnly_negotiatesAesCm() throws Exception {
        Pair p = new Pair(Duration.ofSeconds(10));
        DtlsTestClient client = new DtlsTestClient(SERVER_CERT.fingerprint(), SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        SrtpKeyMaterial clientKeys;
        // the fingerprint arrives after the handshake started (answer after ClientHello)
        executor.execute(() -> {
            try { Thread.sleep(200); } catch (InterruptedException ignored) { }
            p.server.get().setRemoteFingerprint(client.fingerprint());
        });
        clientKeys = client.connect(p.client);
        SrtpKeyMaterial serverKeys = p.connected.get(10, TimeUnit.SECONDS);
        assertThat(serverKeys.profile()).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(serverKeys).isEqualTo(clientKeys);
        assertThat(serverKeys.clientSalt()).hasSize(14);
    }

    @Test
    void wrongClientFingerprint_failsHandshake() throws Exception {
        Pair p = new Pair(Duration.ofSeconds(10));
        DtlsTestClient client = new DtlsTestClient(SERVER_CERT.fingerprint(), SrtpProfile.AEAD_AES_128_GCM);
        p.server.get().setRemoteFingerprint(DtlsCertificate.generate().fingerprint());
        assertThatThrownBy(() -> client.connect(p.client)).isInstanceOf(java.io.IOException.class);
        assertThat(p.failed.get(10, TimeUnit.SECONDS)).hasMessageContaining("fingerprint");
        assertThat(p.connected).isNotDone();
        assertThat(p.server.get().state()).isEqualTo(DtlsServerSession.State.FAILED);
    }

    @Test
    void clientRejectsWrongServerFingerprint() throws Exception {
        Pair p = new Pair(Duration.ofSeconds(10));
        DtlsTestClient client = new DtlsTestClient(DtlsCertificate.generate().fingerprint(), SrtpProfile.AEAD_AES_128_GCM);
        p.server.get().setRemoteFingerprint(client.fingerprint());
        assertThatThrownBy(() -> client.connect(p.client)).isInstanceOf(java.io.IOException.class);
        assertThat(p.failed.get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void handshakeTimeout_failsWhenClientGoesSilent() throws Exception {
        Pair p = new Pair(Duration.ofMillis(1500));
        // one junk datagram starts the session; nothing else ever arrives
        byte[] junk = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        p.server.get().receive(junk, 0, junk.length);
        assertThat(p.failed.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(p.server.get().state()).isEqualTo(DtlsServerSession.State.FAILED);
    }

    @Test
    void fingerprint_formatAndParse() {
        Fingerprint f = SERVER_CERT.fingerprint();
        assertThat(f.toString()).matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(Fingerprint.parse(f.toString().toLowerCase())).isEqualTo(f);
        assertThat(f.matches(SERVER_CERT.encoded())).isTrue();
        assertThatThrownBy(() -> Fingerprint.parse("md5 AA:BB")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fingerprint.parse("sha-256 nothex")).isInstanceOf(IllegalArgumentException.class);
    }
}
