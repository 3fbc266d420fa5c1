package dev.parley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDK against the real Parley server (signalling only: join, chat, users, permissions, kick). */
class AgainstParleyServerTest {
    private ParleyTestServer server;

    private final List<ServerConnection> clients = new ArrayList<>();

    /** A fresh server per test, so that no client of an earlier test is still counted. */
    @BeforeEach
    void startServer() throws Exception {
        server = ParleyTestServer.start("test", """
                {"users": {"vimes": {"password": "sybil", "permissions": "op"}},
                 "wildcard-user": {"password": "guest", "permissions": "present"}}
                """);
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(ServerConnection::close);
        server.close();
    }

    /** A connected client whose every callback is recorded as a line of text. */
    private final class Client {
        final ServerConnection sc = new ServerConnection();
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        Client() throws Exception {
            clients.add(sc);
            sc.onjoined((kind, group, perms, status, data, error, message) ->
                    events.add("joined " + kind + " " + group + " " + perms + " " + error + " " + message
                            + " locked=" + status.path("locked").asBoolean()));
            sc.onuser((id, kind) -> events.add("user " + kind + " " + id));
            sc.onchat((id, source, dest, username, time, privileged, history, kind, message) ->
                    events.add("chat " + (id != null) + " " + source + " " + dest + " " + username + " "
                            + (time != null) + " " + privileged + " " + history + " " + kind + " " + message));
            sc.onusermessage((id, dest, username, time, privileged, kind, error, message) ->
                    events.add("usermessage " + id + " " + dest + " " + username + " " + privileged + " " + kind
                            + " " + message));
            sc.onclose((code, reason) -> events.add("close " + code + " " + reason));
            sc.connect(server.ws()).get(10, TimeUnit.SECONDS);
        }

        JoinedEvent join(String username, String password) throws Exception {
            return sc.join("test", username, password).get(10, TimeUnit.SECONDS);
        }

        /** The first recorded event matching, skipping others. */
        String await(Predicate<String> p) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<String> skipped = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                String e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && p.test(e)) {
                    return e;
                }
                if (e != null) {
                    skipped.add(e);
                }
            }
            throw new AssertionError("no matching event; saw " + skipped);
        }

        String await(String prefix) throws InterruptedException {
            return await(e -> e.startsWith(prefix));
        }
    }

    @Test
    void J11_joinFillsUsersAndOthersSeeTheNewcomer() throws Exception {
        Client vimes = new Client();
        JoinedEvent j = vimes.join("vimes", "sybil");
        assertThat(j.kind()).isEqualTo("join");
        assertThat(j.group()).isEqualTo("test");
        assertThat(j.permissions()).contains("op", "present", "message");
        assertThat(j.status().path("clientCount").asInt()).isEqualTo(1);
        vimes.await("user add " + vimes.sc.id());
        assertThat(vimes.sc.group()).isEqualTo("test");
        assertThat(vimes.sc.username()).isEqualTo("vimes");
        assertThat(vimes.sc.permissions()).contains("op");
        assertThat(vimes.sc.rtcConfiguration()).isNotNull();

        Client guest = new Client();
        assertThat(guest.join("guest", "guest").kind()).isEqualTo("join");
        guest.await("user add " + vimes.sc.id());
        vimes.await("user add " + guest.sc.id());
        assertThat(vimes.sc.users()).containsKeys(vimes.sc.id(), guest.sc.id());
        assertThat(vimes.sc.users().get(guest.sc.id()).username()).isEqualTo("guest");
        assertThat(guest.sc.users().get(vimes.sc.id()).permissions()).contains("op");

        // J19: the others see the leaver go
        guest.sc.leave("test");
        assertThat(guest.await("joined")).startsWith("joined leave test []");
        vimes.await("user delete " + guest.sc.id());
        assertThat(vimes.sc.users()).doesNotContainKey(guest.sc.id());
        assertThat(guest.sc.users()).isEmpty();
    }

    @Test
    void J9_wrongPasswordFailsAndTheConnectionCanRetry() throws Exception {
        Client c = new Client();
        JoinedEvent fail = c.join("vimes", "wrong");
        assertThat(fail.kind()).isEqualTo("fail");
        assertThat(fail.message()).isEqualTo("not authorised");
        assertThat(c.await("joined")).isEqualTo("joined fail test [] null not authorised locked=false");
        assertThat(c.join("vimes", "sybil").kind()).isEqualTo("join");
    }

    @Test
    void C6_C7_chatIsBroadcastWithEchoAndPrivateWithout() throws Exception {
        Client vimes = new Client();
        vimes.join("vimes", "sybil");
        Client guest = new Client();
        guest.join("guest", "guest");
        vimes.await("user add " + guest.sc.id());

        vimes.sc.chat("", "", "hello all");
        String expected = "chat true " + vimes.sc.id() + " null vimes true true false null hello all";
        assertThat(vimes.await("chat")).isEqualTo(expected);
        assertThat(guest.await("chat")).isEqualTo(expected);

        guest.sc.chat("me", vimes.sc.id(), "whispers");
        assertThat(vimes.await("chat")).isEqualTo(
                "chat false " + guest.sc.id() + " " + vimes.sc.id() + " guest true false false me whispers");

        // C10: a late joiner gets the broadcast as history
        Client late = new Client();
        late.join("late", "guest");
        assertThat(late.await("chat")).isEqualTo(
                "chat true " + vimes.sc.id() + " null vimes true false true null hello all");
    }

    @Test
    void M1_userMessageReachesItsDestination() throws Exception {
        Client vimes = new Client();
        vimes.join("vimes", "sybil");
        Client guest = new Client();
        guest.join("guest", "guest");
        vimes.await("user add " + guest.sc.id());
        ObjectNode v = Json.object();
        v.put("n", 3);
        vimes.sc.userMessage("info", guest.sc.id(), v);
        assertThat(guest.await("usermessage")).isEqualTo(
                "usermessage " + vimes.sc.id() + " " + guest.sc.id() + " vimes true info {\"n\":3}");
    }

    @Test
    void UA2_UA3_opGrantsPresentAndEveryoneSeesTheChange() throws Exception {
        Client vimes = new Client();
        vimes.join("vimes", "sybil");
        Client guest = new Client();
        guest.join("guest", "guest");
        vimes.await("user add " + guest.sc.id());
        guest.await("user add " + vimes.sc.id());
        assertThat(guest.sc.permissions()).doesNotContain("op");

        vimes.sc.userAction("op", guest.sc.id());
        assertThat(guest.await("joined")).startsWith("joined change test [");
        assertThat(guest.sc.permissions()).contains("op");
        guest.await("user change " + guest.sc.id());
        vimes.await("user change " + guest.sc.id());
        assertThat(vimes.sc.users().get(guest.sc.id()).permissions()).contains("op");

        vimes.sc.userAction("unop", guest.sc.id());
        guest.await(e -> e.startsWith("joined change") && !e.contains("op,") && !e.contains("[op"));
        assertThat(guest.sc.permissions()).doesNotContain("op");
    }

    @Test
    void UA7_setdataUpdatesOurOwnUserData() throws Exception {
        Client guest = new Client();
        guest.join("guest", "guest");
        guest.await("user add " + guest.sc.id());
        ObjectNode hand = Json.object();
        hand.put("raisehand", true);
        guest.sc.userAction("setdata", guest.sc.id(), hand);
        guest.await("user change " + guest.sc.id());
        assertThat(guest.sc.users().get(guest.sc.id()).data().path("raisehand").asBoolean()).isTrue();
    }

    @Test
    void GA3_lockIsSeenAsJoinedChange() throws Exception {
        Client vimes = new Client();
        vimes.join("vimes", "sybil");
        vimes.sc.groupAction("lock", Json.text("lunch"));
        assertThat(vimes.await("joined change")).endsWith("locked=true");
        vimes.sc.groupAction("unlock");
        assertThat(vimes.await("joined change")).endsWith("locked=false");
    }

    @Test
    void J24_kickedClientGetsTheMessageThenClose() throws Exception {
        Client vimes = new Client();
        vimes.join("vimes", "sybil");
        Client guest = new Client();
        guest.join("guest", "guest");
        vimes.await("user add " + guest.sc.id());

        vimes.sc.userAction("kick", guest.sc.id(), Json.text("go home"));
        // J24 puts the kicker in "id", not "source"; like the reference library we report source (absent)
        assertThat(guest.await("usermessage")).isEqualTo(
                "usermessage null " + guest.sc.id() + " vimes true kicked \"go home\"");
        assertThat(guest.await("joined")).startsWith("joined leave test []");
        assertThat(guest.await("close")).isEqualTo("close 1000 kicked out (go home) by vimes");
        vimes.await("user delete " + guest.sc.id());
        assertThat(guest.sc.group()).isNull();
        assertThat(guest.sc.socket()).isNull();
    }
}
