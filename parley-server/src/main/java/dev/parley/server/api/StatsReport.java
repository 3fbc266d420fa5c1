package dev.parley.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.rtc.turn.TurnStats;
import dev.parley.server.group.Group;
import dev.parley.server.group.GroupManager;
import dev.parley.server.group.Member;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code .stats} body (H48): in-memory groups by name, their clients by id, with the
 * {@code up}/{@code down} connections of members that implement {@link ClientStatistics}.
 * While the built-in TURN server runs, one more entry named {@code .turn} (no group can have a
 * name starting with a dot) carries its counters, in its sorted place, so that Galène's stats
 * page and other readers of the array keep working.
 */
final class StatsReport {
    private StatsReport() {
    }

    static final String TURN_ENTRY = ".turn";

    static ArrayNode of(GroupManager groups) {
        return of(groups, null);
    }

    /** @param turn the built-in TURN server's counters, or null when it does not run */
    static ArrayNode of(GroupManager groups, TurnStats turn) {
        List<ObjectNode> entries = new ArrayList<>();
        for (Group g : groups.loadedGroups()) {
            ObjectNode o = Json.object();
            entries.add(o);
            o.put("name", g.name());
            List<Member> members = g.members().stream().sorted(Comparator.comparing(Member::id, StatsReport::byBytes)).toList();
            if (!members.isEmpty()) {
                ArrayNode clients = o.putArray("clients");
                for (Member m : members) {
                    ObjectNode client = clients.addObject().put("id", m.id());
                    if (m instanceof ClientStatistics stats) {
                        connections(client, "up", stats.upStatistics());
                        connections(client, "down", stats.downStatistics());
                    }
                }
            }
        }
        if (turn != null) {
            ObjectNode t = Json.object().put("name", TURN_ENTRY);
            t.putObject("turn")
                    .put("allocations", turn.allocations())
                    .put("relayedBytes", turn.relayedBytes())
                    .put("relayedPackets", turn.relayedPackets())
                    .put("dropped", turn.dropped())
                    .put("tcpConnections", turn.tcpConnections())
                    .put("rejectedRequests", turn.rejected());
            entries.add(t);
        }
        ArrayNode out = Json.array();
        entries.stream().sorted(Comparator.comparing(o -> o.path("name").asText(), StatsReport::byBytes)).forEach(out::add);
        return out;
    }

    /** Sorted by id; omitted when empty. */
    private static void connections(ObjectNode client, String field, List<ObjectNode> conns) {
        if (conns == null || conns.isEmpty()) {
            return;
        }
        ArrayNode a = client.putArray(field);
        conns.stream().sorted(Comparator.comparing(c -> c.path("id").asText(), StatsReport::byBytes)).forEach(a::add);
    }

    private static int byBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
