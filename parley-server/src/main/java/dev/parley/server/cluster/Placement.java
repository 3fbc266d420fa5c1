package dev.parley.server.cluster;

/** Where a group lives, as one node sees it when a client asks for it. */
public sealed interface Placement {
    /** On this node (or no cluster at all): serve it here. */
    record Here() implements Placement {
    }

    /** Held by another live node, whose public base URL this is. */
    record Elsewhere(String nodeId, String nodeUrl) implements Placement {
        public String webSocketEndpoint() {
            return NodeUrls.webSocket(nodeUrl);
        }

        public String groupPage(String group) {
            return NodeUrls.groupPage(nodeUrl, group);
        }
    }

    /**
     * Nowhere safe: Redis cannot be reached and this node cannot prove it still holds the
     * lease, so admitting anyone could split the group across two nodes.
     */
    record Unavailable(String reason) implements Placement {
    }

    Placement HERE = new Here();
}
