package dev.parley.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Node membership: a node is live while its hash {@code parley:node:ID} exists. It writes the
 * hash (URL and load) with an expiry and renews it; a node that stops renewing disappears
 * with its key, and whoever next reads the node set drops its id.
 */
final class Membership {
    /**
     * KEYS[1] node hash; ARGV id, ttl ms, grace ms, then field/value pairs. One round trip,
     * atomic. The first registration in an empty Redis (a new cluster, or Redis restarted)
     * opens a grace period during which no idle group is placed (see {@link Leases}).
     */
    private static final String REGISTER = """
            if redis.call('SET', 'parley:up', '1', 'NX') then
              redis.call('SET', 'parley:grace', '1', 'PX', ARGV[3])
            end
            redis.call('DEL', KEYS[1])
            for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('SADD', 'parley:nodes', ARGV[1])
            return 1
            """;

    private final RedisLink redis;

    Membership(RedisLink redis) {
        this.redis = redis;
    }

    /** Writes (or rewrites) this node's registration, live for {@code ttl}. */
    void register(String id, String url, NodeLoad load, Map<String, LiveNode.GroupSummary> publicGroups, Duration ttl,
                  Duration grace) {
        ObjectNode pub = Json.object();
        publicGroups.forEach((name, s) -> pub.set(name, Json.array().add(s.clientCount()).add(s.locked())));
        redis.eval(REGISTER, ScriptOutputType.INTEGER, new String[] {RedisKeys.node(id)},
                id, Long.toString(ttl.toMillis()), Long.toString(grace.toMillis()),
                "url", url, "score", Long.toString(load.score()),
                "members", Integer.toString(load.members()), "streams", Integer.toString(load.streams()),
                "groups", Integer.toString(load.groups()), "cpu", String.format(java.util.Locale.ROOT, "%.3f", load.cpu()),
                "public", Json.write(pub));
    }

    void deregister(String id) {
        redis.sync().del(RedisKeys.node(id));
        redis.sync().srem(RedisKeys.NODES, id);
    }

    /** Every live node (this one included), read now. */
    List<LiveNode> liveNodes() {
        List<LiveNode> nodes = new ArrayList<>();
        for (String id : redis.sync().smembers(RedisKeys.NODES)) {
            Map<String, String> h = redis.sync().hgetall(RedisKeys.node(id));
            if (h == null || !h.containsKey("url")) {
                continue;                       // expired; placement's script drops the id from the set
            }
            nodes.add(new LiveNode(id, h.get("url"), parseLong(h.get("score")), publicGroups(h.get("public"))));
        }
        return nodes;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, LiveNode.GroupSummary> publicGroups(String json) {
        Map<String, LiveNode.GroupSummary> m = new HashMap<>();
        if (json == null) {
            return m;
        }
        try {
            JsonNode o = Json.MAPPER.readTree(json);
            o.properties().forEach(e -> m.put(e.getKey(),
                    new LiveNode.GroupSummary(e.getValue().path(0).asInt(), e.getValue().path(1).asBoolean())));
        } catch (java.io.IOException e) {
            // another node's bad entry: list none of its groups rather than fail the listing
        }
        return m;
    }
}
