package dev.parley.rtc.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.rtc.srtp.SrtpProfile;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DtlsSessionTest {
    static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Wires a server session and a client transport back to back in memory. */
    final class Pair implements DtlsSession.Listener {
        final CompletableFuture<SrtpKeyMaterial> connected = new CompletableFuture<>();
        final CompletableFuture<Exception> failed = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final AtomicReference<DtlsSession> server = new AtomicReference<>();
        final QueueDatagramTransport client = new QueueDatagramTransport((b, o, l) -> server.get().receive(b, o, l));

        Pair(Duration timeout) {
            server.set(new DtlsSession(SERVER_CERT, client::offer, executor, timeout, this));
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
        assertThat(p.server.get().state()).isEqualTo(DtlsSession.State.CONNECTED);

        // SRTP keyed from both sides interoperates: client protects, server unprotects
        byte[] rtp = new byte[100];
        rtp[0] = (byte) 0x80; rtp[11] = 1;
        int n = clientKeys.outbound(false).protectRtp(rtp, 0, 40);
        assertThat(serverKeys.inbound(true).unprotectRtp(rtp, 0, n)).isEqualTo(40);

        client.transport().close(); // close_notify
        p.closed.get(10, TimeUnit.SECONDS);
        assertThat(p.server.get().state()).isEqualTo(DtlsSession.State.CLOSED);
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
        assertThat(p.server.get().state()).isEqualTo(DtlsSession.State.FAILED);
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
        assertThat(p.server.get().state()).isEqualTo(DtlsSession.State.FAILED);
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

    // ---- client role (RFC 8842 §5.3: the answer said a=setup:passive) ----

    /** Records one session's events. */
    static final class Events implements DtlsSession.Listener {
        final CompletableFuture<SrtpKeyMaterial> connected = new CompletableFuture<>();
        final CompletableFuture<Exception> failed = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override public void onConnected(SrtpKeyMaterial keys) { connected.complete(keys); }
        @Override public void onFailed(Exception cause) { failed.complete(cause); }
        @Override public void onClosed() { closed.complete(null); }
    }

    /** Two sessions back to back in memory: {@code local} is Parley's, {@code peer} a DTLS server with its own certificate. */
    final class Sessions {
        static final DtlsCertificate PEER_CERT = DtlsCertificate.generate();
        final Events localEvents = new Events();
        final Events peerEvents = new Events();
        final AtomicReference<DtlsSession> peer = new AtomicReference<>();
        final DtlsSession local;

        Sessions(List<SrtpProfile> localProfiles, List<SrtpProfile> peerProfiles) {
            local = new DtlsSession(SERVER_CERT, (b, o, l) -> peer.get().receive(b, o, l), executor, Duration.ofSeconds(10),
                    localProfiles, localEvents);
            peer.set(new DtlsSession(PEER_CERT, local::receive, executor, Duration.ofSeconds(10), peerProfiles, peerEvents));
            peer.get().setRole(DtlsRole.SERVER);
            peer.get().setRemoteFingerprint(SERVER_CERT.fingerprint());
        }
    }

    @Test
    void clientRole_handshakesWithAServer_keysMatchAndSrtpFlowsBothWays() throws Exception {
        Sessions s = new Sessions(List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80),
                List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM));
        s.local.setRemoteFingerprint(Sessions.PEER_CERT.fingerprint());
        s.local.setRole(DtlsRole.CLIENT);
        s.local.startClient();
        SrtpKeyMaterial clientKeys = s.localEvents.connected.get(10, TimeUnit.SECONDS);
        SrtpKeyMaterial serverKeys = s.peerEvents.connected.get(10, TimeUnit.SECONDS);
        assertThat(clientKeys).isEqualTo(serverKeys);
        assertThat(clientKeys.profile()).as("the server's preference wins").isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(s.local.role()).isEqualTo(DtlsRole.CLIENT);
        assertThat(s.local.state()).isEqualTo(DtlsSession.State.CONNECTED);

        byte[] rtp = new byte[100];
        rtp[0] = (byte) 0x80; rtp[11] = 7;
        int n = clientKeys.outbound(false).protectRtp(rtp, 0, 40);
        assertThat(serverKeys.inbound(true).unprotectRtp(rtp, 0, n)).isEqualTo(40);
        byte[] back = new byte[100];
        back[0] = (byte) 0x80; back[11] = 8;
        n = serverKeys.outbound(true).protectRtp(back, 0, 40);
        assertThat(clientKeys.inbound(false).unprotectRtp(back, 0, n)).isEqualTo(40);

        s.local.close(); // close_notify reaches the server
        s.peerEvents.closed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void clientRole_waitsForTheServerFingerprintThatArrivesLate() throws Exception {
        Sessions s = new Sessions(List.of(SrtpProfile.AEAD_AES_128_GCM), List.of(SrtpProfile.AEAD_AES_128_GCM));
        s.local.setRole(DtlsRole.CLIENT);
        s.local.startClient();
        Thread.sleep(300);
        s.local.setRemoteFingerprint(Sessions.PEER_CERT.fingerprint());
        assertThat(s.localEvents.connected.get(10, TimeUnit.SECONDS).profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
    }

    @Test
    void clientRole_rejectsAServerWhoseCertificateIsNotTheFingerprint() throws Exception {
        Sessions s = new Sessions(List.of(SrtpProfile.AEAD_AES_128_GCM), List.of(SrtpProfile.AEAD_AES_128_GCM));
        s.local.setRemoteFingerprint(DtlsCertificate.generate().fingerprint());
        s.local.setRole(DtlsRole.CLIENT);
        s.local.startClient();
        assertThat(s.localEvents.failed.get(10, TimeUnit.SECONDS)).hasMessageContaining("fingerprint");
        assertThat(s.local.state()).isEqualTo(DtlsSession.State.FAILED);
        assertThat(s.localEvents.connected).isNotDone();
    }

    @Test
    void clientRole_failsWithNoCommonSrtpProfile() throws Exception {
        Sessions s = new Sessions(List.of(SrtpProfile.AEAD_AES_128_GCM), List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80));
        s.local.setRemoteFingerprint(Sessions.PEER_CERT.fingerprint());
        s.local.setRole(DtlsRole.CLIENT);
        s.local.startClient();
        assertThat(s.localEvents.failed.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(s.peerEvents.failed.get(10, TimeUnit.SECONDS)).hasMessageContaining("SRTP");
    }

    @Test
    void undecidedRole_startClientDoesNothing_andAClientHelloMakesItTheServer() throws Exception {
        Pair p = new Pair(Duration.ofSeconds(10));
        p.server.get().startClient();
        assertThat(p.server.get().state()).isEqualTo(DtlsSession.State.NEW);
        assertThat(p.server.get().role()).isNull();
        DtlsTestClient client = new DtlsTestClient(SERVER_CERT.fingerprint(), SrtpProfile.AEAD_AES_128_GCM);
        p.server.get().setRemoteFingerprint(client.fingerprint());
        client.connect(p.client);
        p.connected.get(10, TimeUnit.SECONDS);
        assertThat(p.server.get().role()).isEqualTo(DtlsRole.SERVER);
        // the SDP can no longer make it the client: that would need a new DTLS association
        assertThatThrownBy(() -> p.server.get().setRole(DtlsRole.CLIENT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already server");
        p.server.get().setRole(DtlsRole.SERVER); // the same role again is fine (renegotiation)
    }

    @Test
    void clientRole_ignoresStrayDatagramsInsteadOfBecomingTheServer() throws Exception {
        Pair p = new Pair(Duration.ofSeconds(10));
        p.server.get().setRole(DtlsRole.CLIENT);
        byte[] junk = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        p.server.get().receive(junk, 0, junk.length);
        assertThat(p.server.get().state()).isEqualTo(DtlsSession.State.NEW);
        assertThatThrownBy(() -> p.server.get().setRole(DtlsRole.SERVER)).isInstanceOf(IllegalStateException.class);
    }
}
