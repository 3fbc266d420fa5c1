package dev.parley.rtc.turn;

/**
 * Resource limits of the TURN server (what coturn and pion/turn bound). All apply per server instance.
 *
 * @param maxAllocations             allocations in total (each holds one UDP socket)
 * @param maxAllocationsPerUser      per USERNAME; Galène-style deployments share one username, so this
 *                                   only matters with several credentials
 * @param maxAllocationsPerClientIp  per client IP address: the flood limit for one host or NAT
 * @param bytesPerSecond             relayed bytes per allocation and second, both directions together;
 *                                   a burst of one second is allowed
 * @param maxLifetimeSeconds         the most a client may ask for in LIFETIME (RFC 8656: 3600)
 * @param maxPermissions             permissions per allocation
 * @param maxChannels                channel bindings per allocation
 * @param maxTcpConnections          client TCP connections in total
 */
public record TurnLimits(int maxAllocations, int maxAllocationsPerUser, int maxAllocationsPerClientIp,
                         long bytesPerSecond, int maxLifetimeSeconds, int maxPermissions, int maxChannels,
                         int maxTcpConnections) {
    /** RFC 8656 §7.2: the default allocation lifetime. */
    public static final int DEFAULT_LIFETIME_SECONDS = 600;

    public TurnLimits {
        if (maxLifetimeSeconds < DEFAULT_LIFETIME_SECONDS || maxLifetimeSeconds > 3600) {
            throw new IllegalArgumentException("maxLifetimeSeconds must be 600..3600");
        }
        if (maxAllocations < 1 || maxAllocationsPerUser < 1 || maxAllocationsPerClientIp < 1 || bytesPerSecond < 1
                || maxPermissions < 1 || maxChannels < 1 || maxTcpConnections < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * 2000 allocations (a 100-person meeting needs about 10 per person: one per peer connection and
     * transport), 200 per client IP (an office behind one NAT), 5 MB/s (40 Mbit/s) per allocation, one
     * hour, 64 permissions and 64 channels per allocation, 1000 TCP connections.
     */
    public static TurnLimits defaults() {
        return new TurnLimits(2000, 2000, 200, 5_000_000, 3600, 64, 64, 1000);
    }

    public TurnLimits withMaxAllocations(int total, int perUser, int perClientIp) {
        return new TurnLimits(total, perUser, perClientIp, bytesPerSecond, maxLifetimeSeconds, maxPermissions,
                maxChannels, maxTcpConnections);
    }

    public TurnLimits withBytesPerSecond(long rate) {
        return new TurnLimits(maxAllocations, maxAllocationsPerUser, maxAllocationsPerClientIp, rate,
                maxLifetimeSeconds, maxPermissions, maxChannels, maxTcpConnections);
    }
}
