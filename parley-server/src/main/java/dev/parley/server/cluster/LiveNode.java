package dev.parley.server.cluster;

import java.util.Map;

/**
 * A registered node as read from Redis: its id, its public base URL, its load score and the
 * public groups it holds with their member count and lock state.
 */
public record LiveNode(String id, String url, long score, Map<String, GroupSummary> publicGroups) {
    /** The node's WebSocket endpoint: the base URL with a ws scheme and {@code /ws}. */
    public String webSocketEndpoint() {
        return NodeUrls.webSocket(url);
    }

    /** What {@code /public-groups.json} needs of a group held elsewhere. */
    public record GroupSummary(int clientCount, boolean locked) {
    }
}
