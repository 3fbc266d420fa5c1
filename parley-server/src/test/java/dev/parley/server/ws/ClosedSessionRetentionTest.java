package dev.parley.server.ws;

import dev.parley.server.testing.RawWsClient;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.parley.server.ws.InboundFloodTest.until;
import static dev.parley.server.ws.InboundFloodTest.usedHeapAfterGc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing outlives a closed socket: not its session, nor (through the session) its channel
 * and pipeline. Thousands of sockets are opened and closed, half of them after joining a
 * group, half by a close frame and half by just dropping the connection; then no session is
 * registered, none is a group member, and every session can be collected.
 */
class ClosedSessionRetentionTest {
    /** 1,000 by default to keep the suite short; {@code -Dparley.retention.sockets=5000} for the full attack. */
    private static final int SOCKETS = Integer.getInteger("parley.retention.sockets", 1_000);
    private static final int BATCH = 50;

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.group("talk", "{\"wildcard-user\": {\"password\": \"\", \"permissions\": \"present\"}}"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Opens a batch at once (one round trip after another would take minutes on a loaded machine); half join. */
    private static List<RawWsClient> openConcurrently(int batch) throws Exception {
        List<Future<RawWsClient>> opening = new ArrayList<>(BATCH);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < BATCH; i++) {
                String id = i % 2 == 0 ? "c" + batch + "-" + i : null;
                opening.add(pool.submit(() -> open(id)));
            }
        }
        List<RawWsClient> clients = new ArrayList<>(BATCH);
        for (Future<RawWsClient> f : opening) {
            clients.add(f.get());
        }
        return clients;
    }

    /** A socket, joined as {@code id} unless it is null. */
    private static RawWsClient open(String id) throws IOException {
        RawWsClient c = new RawWsClient(server.port(), 0);
        if (id != null) {
            c.sendText("{\"type\":\"handshake\",\"version\":[\"2\"],\"id\":\"" + id + "\"}");
            c.sendText("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"talk\",\"username\":\"" + id + "\",\"password\":\"\"}");
            assertThat(c.readUntil("\"joined\"").text()).contains("\"kind\":\"join\"");
        }
        return c;
    }

    @Test
    void J20_closedSocketsLeaveNoSessionBehind() throws Exception {
        SessionRegistry registry = server.server().sessions();
        long heapBefore = usedHeapAfterGc();
        List<WeakReference<ClientSession>> sessions = new ArrayList<>(SOCKETS);
        for (int batch = 0; batch < SOCKETS / BATCH; batch++) {
            List<RawWsClient> clients = openConcurrently(batch);
            until(() -> registry.count() >= BATCH);
            for (ClientSession s : registry.snapshot()) {
                sessions.add(new WeakReference<>(s));
            }
            for (int i = 0; i < BATCH; i++) {
                if (i % 4 < 2) {
                    clients.get(i).sendFrame(true, 0x8, new byte[]{0x03, (byte) 0xe8});   // 1000, then drop
                }
                clients.get(i).close();
            }
        }
        assertThat(sessions).hasSizeGreaterThanOrEqualTo(SOCKETS);

        until(() -> registry.count() == 0);
        until(() -> server.server().context().groups().getLoaded("talk") == null
                || server.server().context().groups().getLoaded("talk").clientCount() == 0);
        until(() -> {
            System.gc();
            return sessions.stream().allMatch(r -> r.get() == null);
        });
        long retained = usedHeapAfterGc() - heapBefore;
        System.out.printf("%d sockets opened and closed: %d sessions still reachable, heap %+d KiB (%d bytes per socket)%n",
                sessions.size(), sessions.stream().filter(r -> r.get() != null).count(), retained >> 10,
                retained / sessions.size());
    }
}
