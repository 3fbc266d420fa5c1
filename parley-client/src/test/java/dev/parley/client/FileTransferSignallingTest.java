package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file-transfer messages exchanged with a peer, in the web client's exact shapes. */
class FileTransferSignallingTest {
    private static final String PEER = "e058556e28e08e9d668eba3068ebbf1f";

    @TempDir
    Path dir;
    private ScriptedServer server;
    private ServerConnection sc;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
        sc = new ServerConnection();
        var connected = sc.connect(server.url());
        server.handshake();
        connected.get(10, TimeUnit.SECONDS);
        var joined = sc.join("g", "alice", "x");
        server.next("join");
        server.send("{\"type\":\"joined\",\"kind\":\"join\",\"group\":\"g\",\"username\":\"alice\","
                + "\"permissions\":[\"present\",\"message\"],\"rtcConfiguration\":{}}");
        joined.get(10, TimeUnit.SECONDS);
        server.send("{\"type\":\"user\",\"kind\":\"add\",\"id\":\"" + PEER + "\",\"username\":\"bob\"}");
        long deadline = System.currentTimeMillis() + 5000;
        while (!sc.users().containsKey(PEER) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
    }

    @AfterEach
    void stop() {
        sc.close();
        server.close();
    }

    private String event() throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        return e;
    }

    private void peerSays(String valueJson) {
        server.send("{\"type\":\"usermessage\",\"kind\":\"filetransfer\",\"source\":\"" + PEER
                + "\",\"dest\":\"" + sc.id() + "\",\"username\":\"bob\",\"value\":" + valueJson + "}");
    }

    @Test
    void sendFileInvitesWithVersionOneNameSizeAndType() throws Exception {
        Path file = dir.resolve("hello.txt");
        Files.writeString(file, "hello world");
        sc.onfiletransfer(f -> {
            events.add("onfiletransfer " + f.up() + " " + f.state());
            f.onevent((state, data) -> events.add("event " + state));
        });
        TransferredFile f = sc.sendFile(PEER, file);
        assertThat(event()).isEqualTo("onfiletransfer true ");
        assertThat(event()).isEqualTo("event inviting");
        JsonNode um = server.next("usermessage");
        assertThat(um.get("kind").asText()).isEqualTo("filetransfer");
        assertThat(um.get("dest").asText()).isEqualTo(PEER);
        assertThat(um.get("source").asText()).isEqualTo(sc.id());
        JsonNode v = um.get("value");
        assertThat(v.get("type").asText()).isEqualTo("invite");
        assertThat(Json.write(v.get("version"))).isEqualTo("[\"1\"]");
        assertThat(v.get("id").asText()).isEqualTo(f.id()).matches("[0-9a-f]{32}");
        assertThat(v.get("name").asText()).isEqualTo("hello.txt");
        assertThat(v.get("size").asLong()).isEqualTo(11);
        assertThat(v.has("mimetype")).isTrue();
        assertThat(sc.getTransferredFile(PEER, f.id())).isSameAs(f);
        assertThat(f.fullid()).isEqualTo(PEER + "-" + f.id());

        // the peer refuses
        peerSays("{\"type\":\"cancel\",\"id\":\"" + f.id() + "\",\"message\":\"no\"}");
        assertThat(event()).isEqualTo("event cancelled");
        assertThat(event()).isEqualTo("event closed");
        assertThat(sc.transferredFiles()).isEmpty();
    }

    @Test
    void sendingToAnUnknownUserIsRefused() throws Exception {
        Path file = dir.resolve("a");
        Files.writeString(file, "a");
        sc.onfiletransfer(f -> { });
        assertThatThrownBy(() -> sc.sendFile("nobody", file)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inviteOfAnUnknownVersionIsCancelledWithAnExplanation() throws Exception {
        sc.onfiletransfer(f -> events.add("offered"));
        peerSays("{\"type\":\"invite\",\"version\":[\"2\"],\"id\":\"f1\",\"name\":\"n\",\"size\":3,\"mimetype\":\"\"}");
        JsonNode cancel = server.next("usermessage").get("value");
        assertThat(cancel.get("type").asText()).isEqualTo("cancel");
        assertThat(cancel.get("id").asText()).isEqualTo("f1");
        assertThat(cancel.get("message").asText()).startsWith("Unknown protocol version");
        assertThat(events).isEmpty();
    }

    @Test
    void refusingAnInviteByThrowingSendsCancel() throws Exception {
        sc.onfiletransfer(f -> {
            events.add("offered " + f.name() + " " + f.size() + " " + f.username() + " " + f.state());
            throw new IllegalStateException("disk full");
        });
        peerSays("{\"type\":\"invite\",\"version\":[\"1\"],\"id\":\"f2\",\"name\":\"photo.jpg\",\"size\":1234,"
                + "\"mimetype\":\"image/jpeg\"}");
        assertThat(event()).isEqualTo("offered photo.jpg 1234 bob inviting");
        JsonNode cancel = server.next("usermessage");
        assertThat(cancel.get("dest").asText()).isEqualTo(PEER);
        assertThat(Json.write(cancel.get("value")))
                .isEqualTo("{\"type\":\"cancel\",\"id\":\"f2\",\"message\":\"disk full\"}");
        // the transfer is forgotten just after the cancel is sent
        long deadline = System.currentTimeMillis() + 5000;
        while (!sc.transferredFiles().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sc.transferredFiles()).isEmpty();
    }

    @Test
    void malformedFileTransferMessagesAreIgnored() throws Exception {
        sc.onfiletransfer(f -> events.add("offered"));
        peerSays("\"just a string\"");
        peerSays("{\"type\":\"invite\"}");
        peerSays("{\"type\":\"invite\",\"version\":[\"1\"],\"id\":\"f3\",\"size\":\"big\"}");
        peerSays("{\"type\":\"answer\",\"id\":\"unknown\",\"sdp\":\"x\"}");
        server.send("{\"type\":\"ping\"}");
        // only a cancel for the bad size, then our pong: nothing crashed, nothing was offered
        assertThat(server.next("usermessage").get("value").get("message").asText()).isEqualTo("bad file size");
        assertThat(server.next("pong")).isNotNull();
        assertThat(events).isEmpty();
    }
}
