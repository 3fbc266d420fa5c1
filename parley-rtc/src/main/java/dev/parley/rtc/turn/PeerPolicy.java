package dev.parley.rtc.turn;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * Where relayed traffic may go. A TURN server is an open proxy for anyone holding the credential, so
 * (as coturn and pion/turn recommend) it never relays to loopback, link-local, multicast, broadcast or
 * reserved addresses, nor to its own listening ports, and by default not to private ranges
 * (RFC 1918, 100.64/10).
 *
 * @param allowPrivate   relay to private ranges (a server serving a LAN)
 * @param allowLoopback  relay to 127/8: only for tests on loopback
 * @param alwaysAllowed  exact addresses allowed whatever their range: the SFU's own media sockets,
 *                       which are on private addresses when the server is behind a NAT
 */
public record PeerPolicy(boolean allowPrivate, boolean allowLoopback, Set<InetSocketAddress> alwaysAllowed) {
    public PeerPolicy {
        alwaysAllowed = Set.copyOf(alwaysAllowed);
    }

    /** The safe default: public unicast IPv4 only, plus {@code alwaysAllowed}. */
    public static PeerPolicy publicOnly(Set<InetSocketAddress> alwaysAllowed) {
        return new PeerPolicy(false, false, alwaysAllowed);
    }

    /** For tests on one machine: private ranges and loopback are allowed too. */
    public static PeerPolicy allowingLoopbackForTests() {
        return new PeerPolicy(true, true, Set.of());
    }

    /** May a permission be installed for this IP (RFC 8656 §9: permissions ignore the port)? */
    boolean permitsIp(InetAddress ip) {
        if (rangeAllowed(ip)) return true;
        for (InetSocketAddress a : alwaysAllowed) {
            if (a.getAddress().equals(ip)) return true;
        }
        return false;
    }

    /** May one datagram be relayed to this address? {@code ownPorts}: the TURN server's listening sockets. */
    boolean permits(InetSocketAddress peer, Set<InetSocketAddress> ownPorts) {
        for (InetSocketAddress own : ownPorts) {
            if (own.getPort() == peer.getPort()
                    && (own.getAddress().isAnyLocalAddress() || own.getAddress().equals(peer.getAddress()))) {
                return false;
            }
        }
        return rangeAllowed(peer.getAddress()) || alwaysAllowed.contains(peer);
    }

    private boolean rangeAllowed(InetAddress ip) {
        if (!(ip instanceof Inet4Address)) return false;     // IPv4 relays only, as Galène's
        byte[] a = ip.getAddress();
        int b0 = a[0] & 0xFF, b1 = a[1] & 0xFF;
        if (b0 == 127) return allowLoopback;
        if (b0 == 0 || b0 >= 224) return false;               // "this network", multicast, reserved, broadcast
        if (b0 == 169 && b1 == 254) return false;             // link-local
        boolean isPrivate = b0 == 10 || (b0 == 172 && b1 >= 16 && b1 < 32) || (b0 == 192 && b1 == 168)
                || (b0 == 100 && b1 >= 64 && b1 < 128);
        return !isPrivate || allowPrivate;
    }
}
