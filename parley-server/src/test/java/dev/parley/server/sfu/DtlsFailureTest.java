package dev.parley.server.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.dtls.DtlsSrtpClient;
import dev.parley.rtc.dtls.Fingerprint;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.rtc.stun.Stun;
import dev.parley.rtc.stun.StunIntegrity;
import dev.parley.rtc.stun.StunWriter;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.bouncycastle.tls.UDPTransport;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A presenter whose ICE succeeds but whose DTLS fails (its certificate does not match the
 * fingerprint of its offer): the transport can never carry media, so its stream is closed,
 * not "recovered" by an ICE restart on the dead transport. Real server, real UDP.
 */
class DtlsFailureTest {

    @Test
    void S24_aDtlsFailureClosesTheUpStreamInsteadOfAskingForAnIceRestart() throws Exception {
        String offer;
        try (InputStream in = DtlsFailureTest.class.getResourceAsStream("/sdp/chromium-offer-camera.sdp")) {
            offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SessionDescription parsedOffer = SessionDescription.parse(offer);
        String offerUfrag = parsedOffer.iceUfrag(parsedOffer.media().getFirst()).orElseThrow();
        try (TestServer server = TestServer.start(f -> f.group("open", """
                {"wildcard-user": {"password": {"type": "wildcard"}, "permissions": "present"}}
                """));
             WsClient presenter = server.join("p1", "open", "p", "");
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            var m = Json.object();
            m.put("type", "offer").put("id", "up1").put("label", "camera").put("sdp", offer);
            presenter.send(m.toString());
            SessionDescription answer = SessionDescription.parse(presenter.expectType("answer").path("sdp").asText());
            var section = answer.media().getFirst();
            String ufrag = answer.iceUfrag(section).orElseThrow();
            String pwd = answer.icePwd(section).orElseThrow();
            Fingerprint serverFingerprint = Fingerprint.parse(answer.fingerprint(section).orElseThrow().format());
            socket.connect(new InetSocketAddress("127.0.0.1", server.server().context().media().port()));
            socket.setSoTimeout(10_000);

            // a valid, nominating ICE check: the server selects our tuple
            byte[] check = new byte[256];
            byte[] txId = new byte[12];
            ThreadLocalRandom.current().nextBytes(txId);
            int n = new StunWriter().start(check, 0, Stun.BINDING_REQUEST, txId, 0)
                    .username(ufrag + ":" + offerUfrag).priority(1).iceControlling(7).useCandidate()
                    .messageIntegrity(StunIntegrity.shortTerm(pwd)).fingerprint();
            socket.send(new DatagramPacket(check, n));
            DatagramPacket response = new DatagramPacket(new byte[512], 512);
            socket.receive(response);
            assertThat(((response.getData()[0] & 0xFF) << 8) | (response.getData()[1] & 0xFF)).isEqualTo(Stun.BINDING_SUCCESS);

            // DTLS with a certificate that is not the offer's: the server must refuse it
            DtlsSrtpClient client = new DtlsSrtpClient(DtlsCertificate.generate(), serverFingerprint,
                    SrtpProfile.AES_CM_128_HMAC_SHA1_80);
            assertThatThrownBy(() -> client.handshake(new UDPTransport(socket, 1500)));

            JsonNode verdict = presenter.expectMatching(x -> x.path("id").asText().equals("up1")
                    && (x.path("type").asText().equals("abort") || x.path("type").asText().equals("renegotiate")));
            assertThat(verdict.path("type").asText()).as("what the presenter is told").isEqualTo("abort");
        }
    }
}
