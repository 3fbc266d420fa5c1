package dev.parley.server.cluster;

/**
 * The cluster's Redis keys. The Lua scripts spell the same prefixes ({@code parley:node:},
 * {@code parley:lease:}, {@code parley:nodes}); change them together.
 */
final class RedisKeys {
    static final String NODES = "parley:nodes";

    private RedisKeys() {
    }

    /** A hash per live node: url, score, members, streams, groups, cpu, public; expires unless renewed. */
    static String node(String id) {
        return "parley:node:" + id;
    }

    /** A group's lease: the holder's node id, with an expiry. */
    static String lease(String group) {
        return "parley:lease:" + group;
    }
}
