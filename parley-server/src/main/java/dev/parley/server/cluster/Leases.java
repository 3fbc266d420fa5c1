package dev.parley.server.cluster;

import io.lettuce.core.ScriptOutputType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Group leases: {@code parley:lease:GROUP} holds the id of the node that serves the group and
 * expires unless that node renews it. Every decision runs as one Lua script, so two nodes
 * asked for the same idle group at the same moment get the same answer.
 */
final class Leases {
    /**
     * KEYS[1] the lease; ARGV lease ms, the asking node's id. Returns {owner, url} or nil when
     * no node is live. A lease whose holder is no longer registered is void (that node has
     * stopped renewing, so it also stopped admitting: see ClusterNode). An idle group goes to
     * the live node with the lowest score (ties: lowest id), whose score is raised at once so
     * that the next placement in the same burst sees it. A holder asking about its own lease
     * extends it, which is what lets it admit a join. ARGV[3] is "1" when the asking node has
     * the group's members: then a missing lease (Redis restarted empty) goes back to it. During
     * the grace after such a restart, no other idle group is placed ({"", ""}), so that a group
     * is not given to a second node before its node has re-registered and taken it back.
     */
    private static final String PLACE = """
            local owner = redis.call('GET', KEYS[1])
            if owner then
              local url = redis.call('HGET', 'parley:node:' .. owner, 'url')
              if url then
                if owner == ARGV[2] then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
                return {owner, url}
              end
              redis.call('DEL', KEYS[1])
            end
            if ARGV[3] == '1' then
              local mine = redis.call('HGET', 'parley:node:' .. ARGV[2], 'url')
              if mine then
                redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
                return {ARGV[2], mine}
              end
            end
            if redis.call('EXISTS', 'parley:grace') == 1 then return {'', ''} end
            local best, bestScore, bestUrl = nil, nil, nil
            for _, id in ipairs(redis.call('SMEMBERS', 'parley:nodes')) do
              local f = redis.call('HMGET', 'parley:node:' .. id, 'url', 'score')
              if not f[1] then
                redis.call('SREM', 'parley:nodes', id)
              else
                local score = tonumber(f[2]) or 0
                if best == nil or score < bestScore or (score == bestScore and id < best) then
                  best, bestScore, bestUrl = id, score, f[1]
                end
              end
            end
            if best == nil then return nil end
            redis.call('SET', KEYS[1], best, 'PX', ARGV[1])
            redis.call('HINCRBY', 'parley:node:' .. best, 'score', 1)
            return {best, bestUrl}
            """;

    /**
     * KEYS the leases of the groups this node serves; ARGV node id, lease ms. Per key: 1 if
     * renewed (or re-taken, when Redis lost it, e.g. after a restart), 0 if another node holds it.
     */
    private static final String RENEW = """
            local r = {}
            for i, k in ipairs(KEYS) do
              local v = redis.call('GET', k)
              if v == ARGV[1] then
                redis.call('PEXPIRE', k, ARGV[2]); r[i] = 1
              elseif not v then
                redis.call('SET', k, ARGV[1], 'PX', ARGV[2]); r[i] = 1
              else
                r[i] = 0
              end
            end
            return r
            """;

    /** KEYS[1] the lease; ARGV[1] node id: deletes it only if still ours. */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final RedisLink redis;
    private final Duration lease;

    Leases(RedisLink redis, Duration lease) {
        this.redis = redis;
        this.lease = lease;
    }

    /**
     * The group's holder, placing it if idle; null when no node is registered, {@link Owner#RECOVERING}
     * during the grace after Redis restarted empty.
     */
    Owner place(String group, String askingNode, boolean askerHasIt) {
        List<Object> r = redis.eval(PLACE, ScriptOutputType.MULTI, new String[] {RedisKeys.lease(group)},
                Long.toString(lease.toMillis()), askingNode, askerHasIt ? "1" : "0");
        if (r == null || r.size() < 2) {
            return null;
        }
        Owner o = new Owner((String) r.get(0), (String) r.get(1));
        return o.nodeId().isEmpty() ? Owner.RECOVERING : o;
    }

    /** For each group, in order, whether this node still holds it. */
    List<Boolean> renew(String nodeId, List<String> groups) {
        if (groups.isEmpty()) {
            return List.of();
        }
        String[] keys = groups.stream().map(RedisKeys::lease).toArray(String[]::new);
        List<Long> r = redis.eval(RENEW, ScriptOutputType.MULTI, keys, nodeId, Long.toString(lease.toMillis()));
        List<Boolean> held = new ArrayList<>(r.size());
        r.forEach(v -> held.add(v == 1L));
        return held;
    }

    void release(String nodeId, String group) {
        redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {RedisKeys.lease(group)}, nodeId);
    }

    /** A lease's holder and its public base URL. */
    record Owner(String nodeId, String url) {
        static final Owner RECOVERING = new Owner("", "");
    }
}
