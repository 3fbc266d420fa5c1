package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * J11, J14, J19, J20 under concurrency: while clients join, leave and disconnect at the same
 * time, the user list each member rebuilds from {@code user add}/{@code delete} must end up
 * equal to the real membership.
 */
class MembershipConsistencyTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The user list a client rebuilds from everything it received, as the reference client does. */
    private static Set<String> view(List<JsonNode> messages) {
        Set<String> users = new HashSet<>();
        for (JsonNode m : messages) {
            if (isType(m, "user", "add")) {
                assertThat(users.add(m.path("id").asText())).as("duplicate add %s", m).isTrue();
            } else if (isType(m, "user", "delete")) {
                assertThat(users.remove(m.path("id").asText())).as("delete of unknown %s", m).isTrue();
            } else if (isType(m, "joined", "leave")) {
                users.clear();
            }
        }
        return users;
    }

    @Test
    void J11_J14_J19_J20_userListsStayConsistentUnderConcurrentChurn() throws Exception {
        String g = Proto.standardGroup(server, "");
        int stayers = 10;
        int churners = 20;
        List<String> stayerIds = new ArrayList<>();
        List<WsClient> stay = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<WsClient>> joins = new ArrayList<>();
            for (int i = 0; i < stayers; i++) {
                String id = unique("stay");
                stayerIds.add(id);
                joins.add(CompletableFuture.supplyAsync(() -> Proto.joined(server, id, join(g, "x", "any")), threads));
            }
            List<CompletableFuture<Void>> churn = new ArrayList<>();
            for (int i = 0; i < churners; i++) {
                String id = unique("churn");
                int variant = i % 3;
                churn.add(CompletableFuture.runAsync(() -> {
                    WsClient c = Proto.joined(server, id, join(g, "y", "any"));
                    switch (variant) {
                        case 0 -> c.close();                                   // J20: disconnect
                        case 1 -> {                                             // J17: leave, then disconnect
                            c.send(Proto.leave(g));
                            c.expectMatching(m -> isType(m, "joined", "leave"));
                            c.close();
                        }
                        default -> {                                            // leave and rejoin, then disconnect
                            c.send(Proto.leave(g));
                            c.expectMatching(m -> isType(m, "joined", "leave"));
                            Proto.joinOk(c, id, join(g, "y", "any"));
                            c.close();
                        }
                    }
                }, threads));
            }
            for (CompletableFuture<WsClient> f : joins) {
                stay.add(f.get());
            }
            CompletableFuture.allOf(churn.toArray(CompletableFuture[]::new)).get();
        }
        try {
            // Wait until the group holds only the stayers, then let the last messages arrive.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.server().context().groups().getLoaded(g).clientCount() != stayers
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.server().context().groups().getLoaded(g).clientCount()).isEqualTo(stayers);
            for (int i = 0; i < stayers; i++) {
                WsClient c = stay.get(i);
                List<JsonNode> all = new ArrayList<>(c.skipped());
                all.addAll(c.drain(Duration.ofMillis(300)));
                Set<String> seen = view(all);
                seen.add(stayerIds.get(i));   // the own add was consumed by the join helper
                assertThat(seen).as("view of %s", stayerIds.get(i)).containsExactlyInAnyOrderElementsOf(stayerIds);
            }
        } finally {
            stay.forEach(WsClient::close);
        }
    }
}
