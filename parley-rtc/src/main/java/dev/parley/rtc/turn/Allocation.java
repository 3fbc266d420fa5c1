package dev.parley.rtc.turn;

import dev.parley.rtc.stun.StunIntegrity;
import io.netty.channel.Channel;
import io.netty.util.collection.IntObjectHashMap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One relayed transport address (RFC 8656 §2.2): its client 5-tuple, its relay socket, permissions and
 * channel bindings, and its expiry. Confined to the TURN event loop.
 */
final class Allocation {
    static final long PERMISSION_NANOS = 300_000_000_000L;   // RFC 8656 §9: 5 minutes
    static final long CHANNEL_NANOS = 600_000_000_000L;      // RFC 8656 §12: 10 minutes

    final ClientLink client;
    final String username;
    final StunIntegrity integrity;
    final byte[] transactionId;
    final Channel relay;
    final InetSocketAddress relayedAddress;
    final TokenBucket bucket;
    long expiresAt;

    private final Map<InetAddress, Long> permissions = new HashMap<>();
    private final IntObjectHashMap<Binding> byChannel = new IntObjectHashMap<>();
    private final Map<InetSocketAddress, Binding> byPeer = new HashMap<>();

    /** A channel binding; the same object is found by number and by peer. */
    static final class Binding {
        final int channel;
        final InetSocketAddress peer;
        long expiresAt;

        Binding(int channel, InetSocketAddress peer) {
            this.channel = channel;
            this.peer = peer;
        }
    }

    Allocation(ClientLink client, String username, StunIntegrity integrity, byte[] transactionId, Channel relay,
               InetSocketAddress relayedAddress, TokenBucket bucket, long expiresAt) {
        this.client = client;
        this.username = username;
        this.integrity = integrity;
        this.transactionId = transactionId;
        this.relay = relay;
        this.relayedAddress = relayedAddress;
        this.bucket = bucket;
        this.expiresAt = expiresAt;
    }

    boolean hasPermission(InetAddress peer, long now) {
        Long until = permissions.get(peer);
        return until != null && until - now > 0;
    }

    int permissionCount() {
        return permissions.size();
    }

    boolean hasPermissionEntry(InetAddress peer) {
        return permissions.containsKey(peer);
    }

    void permit(InetAddress peer, long now) {
        permissions.put(peer, now + PERMISSION_NANOS);
    }

    Binding byChannel(int channel) {
        return byChannel.get(channel);
    }

    Binding byPeer(InetSocketAddress peer) {
        return byPeer.get(peer);
    }

    int channelCount() {
        return byChannel.size();
    }

    void bind(int channel, InetSocketAddress peer, long now) {
        Binding b = byChannel.get(channel);
        if (b == null) {
            b = new Binding(channel, peer);
            byChannel.put(channel, b);
            byPeer.put(peer, b);
        }
        b.expiresAt = now + CHANNEL_NANOS;
        permit(peer.getAddress(), now);
    }

    /** Drops expired permissions and bindings. */
    void expire(long now) {
        permissions.values().removeIf(until -> until - now <= 0);
        for (Iterator<Binding> it = byChannel.values().iterator(); it.hasNext(); ) {
            Binding b = it.next();
            if (b.expiresAt - now <= 0) {
                it.remove();
                byPeer.remove(b.peer);
            }
        }
    }

    InetAddress clientIp() {
        return client.remote().getAddress();
    }
}
