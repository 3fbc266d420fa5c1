package dev.parley.server.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code -cluster redis://HOST:PORT[?lease=MILLIS]} and {@code -cluster-url}: where the shared
 * Redis is, this node's public base URL (what other nodes send clients to), and how long a
 * group lease and a node registration live without renewal.
 */
public record ClusterOptions(URI redis, String nodeUrl, Duration lease) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    /** Shorter leases would be renewed more often than a loaded Redis answers reliably. */
    static final Duration MIN_LEASE = Duration.ofMillis(900);

    public ClusterOptions {
        if (lease.compareTo(MIN_LEASE) < 0) {
            throw new IllegalArgumentException("-cluster: lease must be at least " + MIN_LEASE.toMillis() + " ms");
        }
    }

    /**
     * Parses the flag's value; {@code nodeUrl} may be null (then derived from the listening
     * address once it is known). Bad input gets an error that names the flag and the form.
     */
    public static ClusterOptions parse(String spec, String nodeUrl) {
        URI u;
        try {
            u = URI.create(spec.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-cluster must be redis://HOST:PORT, got " + spec);
        }
        if (!"redis".equals(u.getScheme()) || u.getHost() == null || u.getPort() <= 0
                || u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
            throw new IllegalArgumentException("-cluster must be redis://HOST:PORT, got " + spec);
        }
        Duration lease = DEFAULT_LEASE;
        if (u.getRawQuery() != null) {
            for (String kv : u.getRawQuery().split("&")) {
                if (kv.startsWith("lease=")) {
                    try {
                        lease = Duration.ofMillis(Long.parseLong(kv.substring("lease=".length())));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("-cluster: lease must be a number of milliseconds, got " + kv);
                    }
                } else {
                    throw new IllegalArgumentException("-cluster: unknown parameter " + kv + " (only lease=MILLIS)");
                }
            }
        }
        if (nodeUrl != null) {
            nodeUrl = checkedNodeUrl(nodeUrl);
        }
        return new ClusterOptions(URI.create("redis://" + u.getRawAuthority()), nodeUrl, lease);
    }

    private static String checkedNodeUrl(String url) {
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && u.getRawQuery() == null) {
                return url.replaceAll("/+$", "");
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("-cluster-url must be http(s)://HOST[:PORT][/PATH], got " + url);
    }

    /**
     * After Redis starts empty, how long no idle group is placed: long enough for every node
     * that holds groups to reconnect (Lettuce retries at most every second) and renew once.
     */
    public Duration recoveryGrace() {
        return renewEvery().plusMillis(1200);
    }

    /** How often the node renews its registration and its leases: three chances per lease. */
    public Duration renewEvery() {
        return lease.dividedBy(3);
    }
}
