package dev.parley.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.parley.server.cluster.ClusterFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: three nodes and one real Redis on loopback. Placement, redirection (H26's
 * endpoint, J21's joined redirect), chat across entry nodes, fail-over of a killed owner with
 * its tokens, a Redis restart, and the spread of 100 groups. Times are printed, not asserted.
 */
class ClusterTest {
    private static final String GROUP = """
            {"public": true, "wildcard-user": {"password": "pw", "permissions": "present"}}""";
    private static final String GUEST = "\"username\":\"guest\",\"password\":\"pw\"";

    private static String guest(String name) {
        return "\"username\":\"" + name + "\",\"password\":\"pw\"";
    }

    @Test
    void H26_J21_H62_aClientAskingAnyNodeEndsOnTheOwner() throws Exception {
        try (ClusterFixture f = ClusterFixture.start(3)) {
            f.group("lobby", GROUP);
            ClusterFixture.Entered first = f.enter(f.nodes.get(0), "e0", "lobby", guest("first"));   // places it, holds it
            String owner = f.ownerUrl("lobby");
            assertThat(owner).isNotNull();
            assertThat(first.port()).isEqualTo(f.nodeAt(owner).port());
            for (ClusterFixture.Node n : f.nodes) {
                assertThat(f.get(n, "/group/lobby/.status").path("endpoint").asText())
                        .as(".status at " + n.url()).isEqualTo(f.nodeAt(owner).ws().toString());
            }
            ClusterFixture.Node other = f.nodes.stream().filter(n -> !n.url().equals(owner)).findFirst().orElseThrow();
            try (WsClient c = WsClient.open(other.ws(), null)) {
                c.send("{\"type\":\"handshake\",\"version\":[\"2\"],\"id\":\"r1\"}");
                c.expect("handshake");
                c.send("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"lobby\"," + GUEST + "}");
                JsonNode joined = c.expect("joined");
                assertThat(joined.path("kind").asText()).isEqualTo("redirect");
                assertThat(joined.path("value").asText()).isEqualTo(owner + "/group/lobby/");
            }
            // a WHIP sender is sent to the owner too (307: WHIP clients follow it with the same POST)
            RawHttp.Response whip = RawHttp.to(other.port()).method("POST").target("/group/lobby/.whip")
                    .body("application/sdp", "v=0\r\n").send();
            assertThat(whip.status()).isEqualTo(307);
            assertThat(whip.header("Location")).isEqualTo(owner + "/group/lobby/.whip");
            // the page served by another node may open the owner's WebSocket (its Origin is a node's)
            try (ClusterFixture.Entered e = f.enter(other, "e1", "lobby", GUEST)) {
                assertThat(e.port()).isEqualTo(f.nodeAt(owner).port());
                // H30 across the cluster: every node lists it with the owner's endpoint and count
                for (ClusterFixture.Node n : f.nodes) {
                    assertThat(eventually(Duration.ofSeconds(10), () -> listed(f, n, "lobby", 2, f.nodeAt(owner))))
                            .as("public-groups.json at " + n.url()).isTrue();
                }
            }
            first.close();
        }
    }

    private static boolean listed(ClusterFixture f, ClusterFixture.Node at, String group, int count, ClusterFixture.Node owner) {
        try {
            for (JsonNode g : f.get(at, "/public-groups.json")) {
                if (g.path("name").asText().equals(group)) {
                    return g.path("clientCount").asInt() == count && g.path("endpoint").asText().equals(owner.ws().toString());
                }
            }
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void chatBetweenClientsThatEnteredThroughDifferentNodes() throws Exception {
        try (ClusterFixture f = ClusterFixture.start(3);) {
            f.group("talk", GROUP);
            try (ClusterFixture.Entered a = f.enter(f.nodes.get(0), "ca", "talk", guest("ann"));
                 ClusterFixture.Entered b = f.enter(f.nodes.get(1), "cb", "talk", guest("bob"));
                 ClusterFixture.Entered c = f.enter(f.nodes.get(2), "cc", "talk", guest("cy"))) {
                assertThat(List.of(a.port(), b.port(), c.port())).containsOnly(f.nodeAt(f.ownerUrl("talk")).port());
                a.client().send("{\"type\":\"chat\",\"source\":\"ca\",\"username\":\"ann\",\"value\":\"hello from node 0\"}");
                for (WsClient other : List.of(b.client(), c.client())) {
                    JsonNode chat = other.expectMatching(m -> m.path("type").asText().equals("chat"));
                    assertThat(chat.path("value").asText()).isEqualTo("hello from node 0");
                    assertThat(chat.path("source").asText()).isEqualTo("ca");
                }
            }
        }
    }

    @Test
    void aKilledOwnersGroupIsPlacedElsewhereAndItsTokensStillWork() throws Exception {
        try (ClusterFixture f = ClusterFixture.start(2)) {
            ClusterFixture.Node doomed = f.startProcessNode();
            String group = null;
            ClusterFixture.Entered holder = null;                               // keeps the group held
            for (int i = 0; i < 12 && group == null; i++) {                      // placement rotates: find one on the process
                f.group("k" + i, GROUP);
                ClusterFixture.Entered e = f.enter(f.nodes.get(0), "h" + i, "k" + i, GUEST);
                if (e.port() == doomed.port()) {
                    group = "k" + i;
                    holder = e;
                } else {
                    e.close();
                }
            }
            assertThat(group).as("a group placed on the process node").isNotNull();
            // a stateful token written through node 0's admin API (shared data/)
            RawHttp.Response made = admin(f.nodes.get(0), "POST", "/galene-api/v0/.groups/" + group + "/.tokens/")
                    .body("application/json", "{\"username\":\"holder\",\"permissions\":[\"present\"],\"expires\":\"2099-01-01T00:00:00Z\"}")
                    .send();
            assertThat(made.status()).isEqualTo(201);
            String token = made.header("Location").substring(made.header("Location").lastIndexOf('/') + 1);
            String byToken = "\"token\":\"" + token + "\"";

            ClusterFixture.Entered first = f.enter(f.nodes.get(1), "t1", group, byToken);
            assertThat(first.port()).isEqualTo(doomed.port());
            String doomedId = f.redisCli().get("parley:lease:" + group);
            doomed.process().close();                                            // SIGKILL: no lease handed back
            long killed = System.nanoTime();
            // nothing outlives a lease: the dead node's registration expires within one (-2: already gone)
            assertThat(f.redisCli().pttl("parley:node:" + doomedId)).isNotEqualTo(-1L).isLessThanOrEqualTo(ClusterFixture.LEASE.toMillis());
            first.client().awaitClose();
            holder.client().awaitClose();

            String g = group;
            boolean moved = eventually(Duration.ofSeconds(30), () -> {
                try {
                    String ep = f.get(f.nodes.get(0), "/group/" + g + "/.status").path("endpoint").asText();
                    return !ep.equals(doomed.ws().toString());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            long replaced = System.nanoTime();
            assertThat(moved).as("re-placed after the owner died").isTrue();
            try (ClusterFixture.Entered again = f.enter(f.nodes.get(0), "t2", group, byToken)) {
                long rejoined = System.nanoTime();
                assertThat(again.port()).isNotEqualTo(doomed.port());
                assertThat(f.ownerUrl(group)).isEqualTo("http://127.0.0.1:" + again.port());
                System.out.printf("cluster fail-over: owner SIGKILLed -> group re-placed after %d ms, token join on the new owner after %d ms (lease %d ms)%n",
                        (replaced - killed) / 1_000_000, (rejoined - killed) / 1_000_000, ClusterFixture.LEASE.toMillis());
            }
        }
    }

    @Test
    void nodesKeepServingThroughARedisRestartThenRegisterAgain() throws Exception {
        try (ClusterFixture f = ClusterFixture.start(3)) {
            f.group("steady", GROUP);
            try (ClusterFixture.Entered a = f.enter(f.nodes.get(0), "sa", "steady", guest("ann"));
                 ClusterFixture.Entered b = f.enter(f.nodes.get(1), "sb", "steady", guest("bob"))) {
                String owner = f.ownerUrl("steady");
                f.redis.kill();
                a.client().send("{\"type\":\"chat\",\"source\":\"sa\",\"username\":\"ann\",\"value\":\"still here\"}");
                assertThat(b.client().expectMatching(m -> m.path("type").asText().equals("chat")).path("value").asText())
                        .isEqualTo("still here");
                // once a whole lease has passed unconfirmed, the owner admits nobody new (no split brain)
                Thread.sleep(ClusterFixture.LEASE.toMillis() + 300);
                try (WsClient c = WsClient.open(f.nodeAt(owner).ws(), null)) {
                    c.send("{\"type\":\"handshake\",\"version\":[\"2\"],\"id\":\"sc\"}");
                    c.expect("handshake");
                    c.send("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"steady\"," + guest("cy") + "}");
                    JsonNode joined = c.expect("joined");
                    assertThat(joined.path("kind").asText()).isEqualTo("fail");
                }
                long restarted = System.nanoTime();
                f.redis.restart();
                assertThat(eventually(Duration.ofSeconds(30), () -> f.redisCli().scard("parley:nodes") == 3
                        && owner.equals(f.ownerUrl("steady")))).as("re-registered, lease taken back by the owner").isTrue();
                f.awaitNodesKnown();
                System.out.printf("cluster: Redis restarted (empty) -> 3 nodes registered and the lease back after %d ms%n",
                        (System.nanoTime() - restarted) / 1_000_000);
                try (ClusterFixture.Entered c = f.enter(f.nodes.get(2), "sd", "steady", guest("dee"))) {
                    assertThat(c.port()).isEqualTo(f.nodeAt(owner).port());
                    a.client().send("{\"type\":\"chat\",\"source\":\"sa\",\"username\":\"ann\",\"value\":\"after\"}");
                    assertThat(c.client().expectMatching(m -> m.path("type").asText().equals("chat")).path("value").asText())
                            .isEqualTo("after");
                }
            }
        }
    }

    @Test
    void hundredGroupsCreatedThroughDifferentNodesSpreadOverThree() throws Exception {
        try (ClusterFixture f = ClusterFixture.start(3)) {
            List<ClusterFixture.Entered> clients = new ArrayList<>();
            List<Long> statusMicros = new ArrayList<>();
            List<Long> enterMicros = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    String g = "many" + i;
                    f.group(g, GROUP);
                    ClusterFixture.Node entry = f.nodes.get(i % 3);
                    long t0 = System.nanoTime();
                    f.get(entry, "/group/" + g + "/.status");                    // the placing request
                    long t1 = System.nanoTime();
                    clients.add(f.enter(entry, "m" + i, g, GUEST));
                    long t2 = System.nanoTime();
                    statusMicros.add((t1 - t0) / 1000);
                    enterMicros.add((t2 - t1) / 1000);
                }
                Map<Integer, Integer> spread = new TreeMap<>();
                for (int i = 0; i < 100; i++) {
                    spread.merge(f.nodeAt(f.ownerUrl("many" + i)).port(), 1, Integer::sum);
                }
                System.out.printf("cluster: 100 groups entered round-robin through 3 nodes -> groups per node %s;"
                                + " placing .status median %d us (p95 %d us), .status+WebSocket+join(+redirect) median %d us (p95 %d us)%n",
                        spread.values(), pct(statusMicros, 50), pct(statusMicros, 95), pct(enterMicros, 50), pct(enterMicros, 95));
                assertThat(spread).hasSize(3);
                assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(25, 42));
                for (int i = 0; i < 100; i++) {
                    assertThat(clients.get(i).port()).isEqualTo(f.nodeAt(f.ownerUrl("many" + i)).port());
                }
            } finally {
                clients.forEach(ClusterFixture.Entered::close);
            }
        }
    }

    @Test
    void tokenRewritesThroughDifferentNodesAreNotLost() throws Exception {
        try (ClusterFixture f = ClusterFixture.start(3)) {
            f.group("tok", GROUP);
            for (int i = 0; i < 15; i++) {
                assertThat(putToken(f.nodes.get(0), "t" + i, "present")).isEqualTo(201);
            }
            // each node rewrites the shared tokens file for its five tokens, all at once
            List<Thread> writers = new ArrayList<>();
            List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int n = 0; n < 3; n++) {
                ClusterFixture.Node node = f.nodes.get(n);
                int first = n * 5;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = first; i < first + 5; i++) {
                        statuses.add(putToken(node, "t" + i, "op"));
                    }
                }));
            }
            for (Thread t : writers) {
                t.join();
            }
            assertThat(statuses).hasSize(15).containsOnly(204);
            for (int i = 0; i < 15; i++) {
                RawHttp.Response r = admin(f.nodes.get((i + 1) % 3), "GET", "/galene-api/v0/.groups/tok/.tokens/t" + i).send();
                assertThat(Json.parse(r.text()).path("permissions").get(0).asText()).as("t" + i).isEqualTo("op");
            }
        }
    }

    private static int putToken(ClusterFixture.Node node, String name, String permission) {
        return admin(node, "PUT", "/galene-api/v0/.groups/tok/.tokens/" + name)
                .body("application/json", "{\"permissions\": [\"" + permission + "\"], \"expires\": \"2099-01-01T00:00:00Z\"}")
                .send().status();
    }

    private static RawHttp admin(ClusterFixture.Node node, String method, String path) {
        return RawHttp.to(node.port()).method(method).target(path)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("root:rootpw".getBytes()));
    }

    private static long pct(List<Long> values, int p) {
        List<Long> s = values.stream().sorted().toList();
        return s.get(Math.min(s.size() - 1, s.size() * p / 100));
    }
}
