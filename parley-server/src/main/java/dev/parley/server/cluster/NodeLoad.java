package dev.parley.server.cluster;

/**
 * What a node reports about itself: members (WebSocket clients, WHIP senders, recorders) in
 * its groups, the streams they publish, the groups it holds, and its process CPU load (0–1,
 * -1 when unknown). {@link #score} is what placement minimises.
 */
public record NodeLoad(int members, int streams, int groups, double cpu) {
    /**
     * Members and streams cost what they cost an SFU; an idle held group costs one, so that a
     * burst of first joins (before anyone arrives) still spreads over the nodes.
     */
    public long score() {
        return (long) members + streams + groups;
    }
}
