package dev.parley.server.cluster;

import java.util.Map;

/**
 * The cluster as the server's handlers see it while the node is starting: the node's URL
 * (hence its registration) is known only once the HTTP port is bound, and until then no
 * group may be served here without a lease.
 */
public final class StartingCluster implements Cluster {
    private static final Placement STARTING = new Placement.Unavailable("the server is starting; try again shortly");
    private volatile Cluster node;

    /** From now on, {@code node} answers. */
    public void started(Cluster started) {
        this.node = started;
    }

    @Override
    public Placement place(String group) {
        Cluster n = node;
        return n == null ? STARTING : n.place(group);
    }

    @Override
    public Placement placeForJoin(String group) {
        Cluster n = node;
        return n == null ? STARTING : n.placeForJoin(group);
    }

    @Override
    public boolean isNodeOrigin(String origin) {
        Cluster n = node;
        return n != null && n.isNodeOrigin(origin);
    }

    @Override
    public Map<String, Remote> publicGroupsElsewhere() {
        Cluster n = node;
        return n == null ? Map.of() : n.publicGroupsElsewhere();
    }

    @Override
    public void close() {
        Cluster n = node;
        if (n != null) {
            n.close();
        }
    }
}
