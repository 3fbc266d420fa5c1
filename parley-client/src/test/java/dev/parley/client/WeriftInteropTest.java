package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.client.media.SyntheticAudioSource;
import dev.parley.client.media.SyntheticVideoSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An independent WebRTC stack through Parley: werift (TypeScript; its own ICE, DTLS and SRTP)
 * publishes to and subscribes from the real server, with libwebrtc (the Java client) on the other
 * side, in both DTLS roles (RFC 8842). Run inside scripts/in-private-netns; needs node and npm.
 */
@Tag("media")
class WeriftInteropTest {
    static final String GROUP = "werift";
    static Path werift;
    private ParleyTestServer server;
    private ServerConnection java;
    private WeriftPeer peer;

    @BeforeAll
    static void install() throws Exception {
        werift = WeriftPeer.install();
    }

    @BeforeEach
    void start() throws Exception {
        server = ParleyTestServer.startAnnouncing(List.of(System.getProperty("parley.announce", "127.0.0.1")),
                GROUP, """
                {"wildcard-user": {"password": "pw", "permissions": "present"}}
                """);
        java = new ServerConnection();
        java.connect(server.ws()).get(10, TimeUnit.SECONDS);
        assertThat(java.join(GROUP, "java", "pw").get(10, TimeUnit.SECONDS).kind()).isEqualTo("join");
    }

    @AfterEach
    void stop() throws Exception {
        if (peer != null) peer.close();
        java.close();
        Thread.sleep(300);
        server.close();
    }

    WeriftPeer werift(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--url", server.ws(), "--group", GROUP, "--user", "werift",
                "--password", "pw"));
        all.addAll(List.of(args));
        peer = WeriftPeer.start(werift, all.toArray(String[]::new));
        return peer;
    }

    /**
     * Parley offers actpass to the subscriber; werift answers active (it is the DTLS client, as
     * browsers are) or passive (it is the server, as pion always is with an ICE-lite offerer, and
     * Parley must send the ClientHello). Either way the Java client's audio and video arrive and decrypt.
     */
    @ParameterizedTest(name = "werift answers a=setup:{0}, so werift is the DTLS {1}")
    @CsvSource({"active, client", "passive, server"})
    void javaPublishes_weriftSubscribes_inEitherDtlsRole(String setup, String weriftRole) throws Exception {
        try (SyntheticVideoSource video = new SyntheticVideoSource(320, 240, 30);
             SyntheticAudioSource audio = new SyntheticAudioSource(440)) {
            VideoTrack videoTrack = java.engine().createVideoTrack("video", video.source());
            AudioTrack audioTrack = java.engine().createAudioTrack("audio", audio.source());
            Stream up = java.newUpStream("camera");
            try {
                up.label("camera");
                up.setStream(List.of(audioTrack, videoTrack));

                WeriftPeer w = werift("--mode", "subscribe", "--setup", setup, "--min-packets", "50", "--seconds", "45");
                JsonNode answered = w.await("answered", Duration.ofSeconds(30));
                assertThat(answered.path("setup").asText()).isEqualTo(setup);
                JsonNode connected = w.await("connected", Duration.ofSeconds(30));
                assertThat(connected.path("dtlsRoles").toString()).as(w.log()).isEqualTo("[\"" + weriftRole + "\"]");
                JsonNode result = w.await("result", Duration.ofSeconds(50));
                System.out.printf("werift answers %s: connected after %d ms, %s packets after %d ms%n",
                        setup, connected.path("ms").asLong(), result.path("packets"), result.path("ms").asLong());
                assertThat(result.path("packets").path("audio").asInt()).as(w.log()).isGreaterThanOrEqualTo(50);
                assertThat(result.path("packets").path("video").asInt()).as(w.log()).isGreaterThanOrEqualTo(50);
            } finally {
                up.close();
                Thread.sleep(300); // the stream lets go of the tracks asynchronously
                videoTrack.dispose();
                audioTrack.dispose();
            }
        }
    }

    /**
     * werift publishes Opus and VP8; its offer says actpass (Parley answers passive and is the DTLS
     * server) or passive (Parley answers active and is the client). The Java subscriber receives
     * packets on both tracks (the VP8 payloads are synthetic, so only their arrival is checked).
     */
    @ParameterizedTest(name = "werift offers a=setup:{0}, Parley answers {1}, werift is the DTLS {2}")
    @CsvSource({"actpass, passive, client", "passive, active, server"})
    void weriftPublishes_javaSubscribes_inEitherDtlsRole(String offered, String answered, String weriftRole) throws Exception {
        AtomicReference<Stream> down = new AtomicReference<>();
        java.ondownstream(s -> {
            s.setStatsInterval(250);
            down.set(s);
        });
        java.request(Map.of("", List.of("audio", "video")));

        WeriftPeer w = werift("--mode", "publish", "--setup", offered, "--seconds", "40");
        assertThat(w.await("answer", Duration.ofSeconds(30)).path("setup").asText()).isEqualTo(answered);
        JsonNode connected = w.await("connected", Duration.ofSeconds(30));
        assertThat(connected.path("dtlsRoles").toString()).isEqualTo("[\"" + weriftRole + "\"]");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Long> received = Map.of();
        while (System.nanoTime() < deadline) {
            received = inboundPackets(down.get());
            if (received.getOrDefault("audio", 0L) >= 50 && received.getOrDefault("video", 0L) >= 30) break;
            Thread.sleep(250);
        }
        assertThat(received).as("inbound packets at the Java subscriber; werift: " + w.log())
                .hasEntrySatisfying("audio", n -> assertThat(n).isGreaterThanOrEqualTo(50))
                .hasEntrySatisfying("video", n -> assertThat(n).isGreaterThanOrEqualTo(30));
        System.out.printf("werift offers %s: connected after %d ms, %s at the Java subscriber%n",
                offered, connected.path("ms").asLong(), received);
    }

    /** packetsReceived per kind from the down stream's inbound-rtp statistics. */
    private static Map<String, Long> inboundPackets(Stream s) {
        if (s == null) return Map.of();
        Map<String, Long> out = new java.util.HashMap<>();
        for (Map<String, Object> st : s.stats().values()) {
            if ("inbound-rtp".equals(st.get("type")) && st.get("kind") instanceof String kind
                    && st.get("packetsReceived") instanceof Number n) {
                out.merge(kind, n.longValue(), Long::sum);
            }
        }
        return out;
    }
}
