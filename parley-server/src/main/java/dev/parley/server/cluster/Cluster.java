package dev.parley.server.cluster;

import java.util.Map;

/**
 * What the HTTP and signalling handlers ask about the cluster. A server started without
 * {@code -cluster} uses {@link #SINGLE}, which keeps every group here: a single node behaves
 * exactly as it does without this package.
 */
public interface Cluster extends AutoCloseable {
    /** Where the group is, placing it (on the least-loaded live node) if nobody holds it. */
    Placement place(String group);

    /**
     * As {@link #place}, for a join about to be admitted here: when the answer is
     * {@link Placement.Here}, this node starts holding (renewing) the group's lease.
     */
    Placement placeForJoin(String group);

    /** Whether an Origin header is another live node's own, so its pages may open our WebSocket. */
    boolean isNodeOrigin(String origin);

    /** Public groups held by other live nodes, by name, from the last renewal's snapshot. */
    Map<String, Remote> publicGroupsElsewhere();

    /** Releases this node's leases and registration (a graceful stop; a crash just lets them expire). */
    @Override
    void close();

    /** A public group on another node: its summary and that node's WebSocket endpoint. */
    record Remote(LiveNode.GroupSummary summary, String endpoint) {
    }

    Cluster SINGLE = new Cluster() {
        @Override
        public Placement place(String group) {
            return Placement.HERE;
        }

        @Override
        public Placement placeForJoin(String group) {
            return Placement.HERE;
        }

        @Override
        public boolean isNodeOrigin(String origin) {
            return false;
        }

        @Override
        public Map<String, Remote> publicGroupsElsewhere() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    };
}
