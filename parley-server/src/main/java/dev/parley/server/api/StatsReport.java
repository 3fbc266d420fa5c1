package dev.parley.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.server.group.Group;
import dev.parley.server.group.GroupManager;
import dev.parley.server.group.Member;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code .stats} body (H48): in-memory groups by name, their clients by id, with the
 * {@code up}/{@code down} connections of members that implement {@link ClientStatistics}.
 */
final class StatsReport {
    private StatsReport() {
    }

    static ArrayNode of(GroupManager groups) {
        ArrayNode out = Json.array();
        List<Group> sorted = groups.loadedGroups().stream().sorted(Comparator.comparing(Group::name, StatsReport::byBytes)).toList();
        for (Group g : sorted) {
            ObjectNode o = out.addObject();
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
