package dev.parley.rtc.turn;

/**
 * Counters of a {@link TurnServer}.
 *
 * @param allocations    active allocations
 * @param relayedBytes   payload bytes relayed, both directions
 * @param relayedPackets datagrams relayed, both directions
 * @param dropped        datagrams dropped: no permission, over the bandwidth cap, unknown channel, forbidden peer
 * @param tcpConnections open client TCP connections
 * @param rejected       requests answered with an error (401 included)
 */
public record TurnStats(int allocations, long relayedBytes, long relayedPackets, long dropped, int tcpConnections,
                        long rejected) {
}
