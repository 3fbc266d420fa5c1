package dev.parley.rtc.turn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link TurnServer}.
 *
 * @param listeners   where to listen (UDP and TCP on the same port) and which relay address each
 *                    listener's allocations get
 * @param realm       the REALM of long-term credentials
 * @param credentials username → password
 * @param limits      resource limits
 * @param peers       where relaying is allowed
 * @param nonceLifetime how long a NONCE stays valid (then 438 Stale Nonce)
 */
public record TurnConfig(List<Listener> listeners, String realm, Map<String, String> credentials,
                         TurnLimits limits, PeerPolicy peers, Duration nonceLifetime) {
    public TurnConfig {
        listeners = List.copyOf(listeners);
        credentials = Map.copyOf(credentials);
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(peers, "peers");
        if (listeners.isEmpty()) throw new IllegalArgumentException("no listener");
        if (nonceLifetime == null) nonceLifetime = Duration.ofMinutes(10);
    }

    /**
     * One listening address. Relay sockets are bound on {@code bind}'s address and announced as
     * {@code relayAddress}; with a wildcard bind the relay address is the one clients reach (Galène's
     * {@code -turn IP:PORT}, which also works behind a 1:1 NAT).
     */
    public record Listener(InetSocketAddress bind, InetAddress relayAddress) {
        public Listener {
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(relayAddress, "relayAddress");
            if (relayAddress.isAnyLocalAddress()) throw new IllegalArgumentException("relay address is a wildcard");
        }
    }
}
