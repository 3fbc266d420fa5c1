package dev.parley.rtc.turn;

import dev.parley.rtc.stun.StunFormatException;
import dev.parley.rtc.stun.StunIntegrity;
import dev.parley.rtc.stun.StunMessage;
import dev.parley.rtc.stun.StunWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.parley.rtc.turn.Turn.*;

/**
 * The request side of RFC 8656: authentication with long-term credentials (RFC 8489 §9.2), then
 * Allocate, Refresh, CreatePermission, ChannelBind and the Send indication. Malformed messages get
 * 400, unknown comprehension-required attributes 420, and nothing is created for a client before its
 * request has passed authentication. Runs on the TURN event loop only.
 */
final class TurnRequests {
    private final TurnServer server;
    private final TurnConfig config;
    private final NonceIssuer nonces;
    private final Map<String, StunIntegrity> keys = new HashMap<>();
    private final Map<String, Integer> perUser = new HashMap<>();
    private final Map<InetAddress, Integer> perClientIp = new HashMap<>();
    private final StunMessage message = new StunMessage();
    private final StunWriter writer = new StunWriter();
    private final byte[] out = new byte[1500];
    private final byte[] realmBytes;

    TurnRequests(TurnServer server) {
        this.server = server;
        this.config = server.config;
        this.nonces = new NonceIssuer(config.nonceLifetime().toMillis(), System::currentTimeMillis);
        config.credentials().forEach((user, password) ->
                keys.put(user, new StunIntegrity(StunIntegrity.longTermKey(user, config.realm(), password))));
        this.realmBytes = config.realm().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** One STUN message from a client (a copy in {@code buf}, valid during the call only). */
    void handle(byte[] buf, int len, ClientLink link) {
        StunMessage m;
        try {
            m = message.parse(buf, 0, len);
        } catch (StunFormatException e) {
            server.dropped.incrementAndGet();        // not STUN: no answer (RFC 8489 §6.3)
            return;
        }
        int method = method(m.type());
        int cls = messageClass(m.type());
        if (cls == INDICATION) {
            if (method == SEND) send(m, link);
            return;
        }
        if (cls != REQUEST) return;
        if (method == BINDING) {
            respond(link, m, BINDING, SUCCESS, null, w -> w.xorMappedAddress(link.remote().getAddress(), link.remote().getPort()));
            return;
        }
        if (method != ALLOCATE && method != REFRESH && method != CREATE_PERMISSION && method != CHANNEL_BIND) {
            error(link, m, method, BAD_REQUEST, null);
            return;
        }
        TurnAttributes attrs;
        try {
            attrs = TurnAttributes.of(m);
        } catch (StunFormatException e) {
            error(link, m, method, BAD_REQUEST, null);
            return;
        }
        StunIntegrity key = authenticate(link, m, method, attrs);
        if (key == null) return;
        Allocation existing = server.allocationOf(link);
        if (existing != null && !existing.username.equals(attrs.username)) {
            error(link, m, method, WRONG_CREDENTIALS, key);
            return;
        }
        if (!attrs.unknownRequired.isEmpty()) {
            unknownAttributes(link, m, method, key, attrs.unknownRequired);
            return;
        }
        switch (method) {
            case ALLOCATE -> allocate(link, m, attrs, key, existing);
            case REFRESH -> refresh(link, m, attrs, key, existing);
            case CREATE_PERMISSION -> createPermission(link, m, attrs, key, existing);
            default -> channelBind(link, m, attrs, key, existing);
        }
    }

    /** RFC 8489 §9.2.4; returns the user's key, or null after answering 400, 401 or 438. */
    private StunIntegrity authenticate(ClientLink link, StunMessage m, int method, TurnAttributes attrs) {
        InetSocketAddress client = link.remote();
        if (!m.hasMessageIntegrity()) {
            challenge(link, m, method, UNAUTHORIZED);
            return null;
        }
        if (attrs.username == null || attrs.realm == null || attrs.nonce == null) {
            error(link, m, method, BAD_REQUEST, null);
            return null;
        }
        if (!nonces.isValid(attrs.nonce, client)) {
            challenge(link, m, method, STALE_NONCE);
            return null;
        }
        StunIntegrity key = keys.get(attrs.username);
        if (key == null || !attrs.realm.equals(config.realm()) || !key.verify(m)) {
            challenge(link, m, method, UNAUTHORIZED);
            return null;
        }
        return key;
    }

    private void allocate(ClientLink link, StunMessage m, TurnAttributes attrs, StunIntegrity key, Allocation existing) {
        if (existing != null) {
            if (m.hasTransactionId(existing.transactionId, 0)) {
                allocated(link, m, existing, key);           // a retransmission: same answer
            } else {
                error(link, m, ALLOCATE, ALLOCATION_MISMATCH, key);
            }
            return;
        }
        if (attrs.requestedTransport < 0) {
            error(link, m, ALLOCATE, BAD_REQUEST, key);
            return;
        }
        if (attrs.requestedTransport != TRANSPORT_UDP) {
            error(link, m, ALLOCATE, UNSUPPORTED_TRANSPORT, key);
            return;
        }
        if (attrs.requestedFamily >= 0 && attrs.requestedFamily != FAMILY_IPV4) {
            error(link, m, ALLOCATE, ADDRESS_FAMILY_NOT_SUPPORTED, key);
            return;
        }
        if (attrs.reservationToken) {
            error(link, m, ALLOCATE, INSUFFICIENT_CAPACITY, key);   // no reservations are ever issued
            return;
        }
        TurnLimits limits = config.limits();
        InetAddress clientIp = link.remote().getAddress();
        if (perUser.getOrDefault(attrs.username, 0) >= limits.maxAllocationsPerUser()
                || perClientIp.getOrDefault(clientIp, 0) >= limits.maxAllocationsPerClientIp()) {
            error(link, m, ALLOCATE, ALLOCATION_QUOTA_REACHED, key);
            return;
        }
        if (server.allocations.size() >= limits.maxAllocations()) {
            error(link, m, ALLOCATE, INSUFFICIENT_CAPACITY, key);
            return;
        }
        TurnServer.RelayPeers handler = server.newRelayHandler();
        Channel relay;
        try {
            relay = server.openRelay(link.listener(), attrs.evenPort, handler);
        } catch (IOException e) {
            error(link, m, ALLOCATE, INSUFFICIENT_CAPACITY, key);
            return;
        }
        long now = System.nanoTime();
        long lifetime = Math.max(TurnLimits.DEFAULT_LIFETIME_SECONDS, Math.min(attrs.lifetime, limits.maxLifetimeSeconds()));
        InetSocketAddress relayed = new InetSocketAddress(link.listener().relayAddress(),
                ((InetSocketAddress) relay.localAddress()).getPort());
        byte[] tx = Arrays.copyOfRange(m.buffer(), m.transactionIdOffset(), m.transactionIdOffset() + 12);
        Allocation a = new Allocation(link, attrs.username, key, tx, relay, relayed,
                new TokenBucket(limits.bytesPerSecond(), now), now + lifetime * 1_000_000_000L);
        handler.allocation = a;
        switch (link) {
            case ClientLink.Udp u -> u.listener().udpAllocations.put(u.remote(), a);
            case ClientLink.Tcp t -> t.allocation = a;
        }
        perUser.merge(a.username, 1, Integer::sum);
        perClientIp.merge(clientIp, 1, Integer::sum);
        server.added(a);
        allocated(link, m, a, key);
    }

    private void allocated(ClientLink link, StunMessage m, Allocation a, StunIntegrity key) {
        long remaining = Math.max(0, (a.expiresAt - System.nanoTime()) / 1_000_000_000L);
        respond(link, m, ALLOCATE, SUCCESS, key, w -> w
                .xorAddress(ATTR_XOR_RELAYED_ADDRESS, a.relayedAddress.getAddress(), a.relayedAddress.getPort())
                .uint32(ATTR_LIFETIME, remaining)
                .xorMappedAddress(link.remote().getAddress(), link.remote().getPort()));
    }

    /** Called when an allocation ends, for the quota counts. */
    void forget(Allocation a) {
        perUser.computeIfPresent(a.username, (k, n) -> n > 1 ? n - 1 : null);
        perClientIp.computeIfPresent(a.clientIp(), (k, n) -> n > 1 ? n - 1 : null);
    }

    private void refresh(ClientLink link, StunMessage m, TurnAttributes attrs, StunIntegrity key, Allocation a) {
        if (a == null) {
            error(link, m, REFRESH, ALLOCATION_MISMATCH, key);
            return;
        }
        if (attrs.requestedFamily >= 0 && attrs.requestedFamily != FAMILY_IPV4) {
            error(link, m, REFRESH, PEER_ADDRESS_FAMILY_MISMATCH, key);
            return;
        }
        long lifetime = attrs.lifetime < 0 ? TurnLimits.DEFAULT_LIFETIME_SECONDS
                : Math.min(attrs.lifetime, config.limits().maxLifetimeSeconds());
        if (lifetime == 0) {
            server.remove(a);
        } else {
            a.expiresAt = System.nanoTime() + lifetime * 1_000_000_000L;
        }
        respond(link, m, REFRESH, SUCCESS, key, w -> w.uint32(ATTR_LIFETIME, lifetime));
    }

    private void createPermission(ClientLink link, StunMessage m, TurnAttributes attrs, StunIntegrity key, Allocation a) {
        if (a == null) {
            error(link, m, CREATE_PERMISSION, ALLOCATION_MISMATCH, key);
            return;
        }
        if (attrs.ipv6Peer) {
            error(link, m, CREATE_PERMISSION, PEER_ADDRESS_FAMILY_MISMATCH, key);
            return;
        }
        if (attrs.peers.isEmpty()) {
            error(link, m, CREATE_PERMISSION, BAD_REQUEST, key);
            return;
        }
        int added = 0;
        for (InetSocketAddress p : attrs.peers) {
            if (!config.peers().permitsIp(p.getAddress())) {
                error(link, m, CREATE_PERMISSION, FORBIDDEN, key);     // none installed (RFC 8656 §9.2)
                return;
            }
            if (!a.hasPermissionEntry(p.getAddress())) added++;
        }
        if (a.permissionCount() + added > config.limits().maxPermissions()) {
            error(link, m, CREATE_PERMISSION, INSUFFICIENT_CAPACITY, key);
            return;
        }
        long now = System.nanoTime();
        for (InetSocketAddress p : attrs.peers) a.permit(p.getAddress(), now);
        respond(link, m, CREATE_PERMISSION, SUCCESS, key, w -> { });
    }

    private void channelBind(ClientLink link, StunMessage m, TurnAttributes attrs, StunIntegrity key, Allocation a) {
        if (a == null) {
            error(link, m, CHANNEL_BIND, ALLOCATION_MISMATCH, key);
            return;
        }
        if (attrs.ipv6Peer) {
            error(link, m, CHANNEL_BIND, PEER_ADDRESS_FAMILY_MISMATCH, key);
            return;
        }
        int channel = attrs.channelNumber;
        if (channel < MIN_CHANNEL || channel > MAX_CHANNEL || attrs.peers.size() != 1) {
            error(link, m, CHANNEL_BIND, BAD_REQUEST, key);
            return;
        }
        InetSocketAddress peer = attrs.peers.get(0);
        Allocation.Binding byNumber = a.byChannel(channel);
        Allocation.Binding byPeer = a.byPeer(peer);
        if ((byNumber != null && !byNumber.peer.equals(peer)) || (byPeer != null && byPeer.channel != channel)) {
            error(link, m, CHANNEL_BIND, BAD_REQUEST, key);           // RFC 8656 §11.2: one peer per channel and back
            return;
        }
        if (!config.peers().permits(peer, server.ownPorts)) {
            error(link, m, CHANNEL_BIND, FORBIDDEN, key);
            return;
        }
        if (byNumber == null && (a.channelCount() >= config.limits().maxChannels()
                || (!a.hasPermissionEntry(peer.getAddress()) && a.permissionCount() >= config.limits().maxPermissions()))) {
            error(link, m, CHANNEL_BIND, INSUFFICIENT_CAPACITY, key);
            return;
        }
        a.bind(channel, peer, System.nanoTime());
        respond(link, m, CHANNEL_BIND, SUCCESS, key, w -> { });
    }

    /** Send indication (RFC 8656 §10.2): never answered; anything wrong drops it. */
    private void send(StunMessage m, ClientLink link) {
        Allocation a = server.allocationOf(link);
        TurnAttributes attrs;
        try {
            attrs = a == null ? null : TurnAttributes.of(m);
        } catch (StunFormatException e) {
            attrs = null;
        }
        if (attrs == null || attrs.peers.size() != 1 || attrs.dataOffset < 0) {
            server.dropped.incrementAndGet();
            return;
        }
        server.fromClientSend(a, m.buffer(), attrs.dataOffset, attrs.dataLength, attrs.peers.get(0));
    }

    // ---- responses

    private interface Attributes {
        void write(StunWriter w);
    }

    private void challenge(ClientLink link, StunMessage m, int method, int code) {
        String nonce = nonces.issue(link.remote());
        server.rejected.incrementAndGet();
        respond(link, m, method, ERROR, null, w -> w
                .errorCode(code, reason(code))
                .attribute(ATTR_REALM, realmBytes, 0, realmBytes.length)
                .attribute(ATTR_NONCE, nonce.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, nonce.length()));
    }

    private void error(ClientLink link, StunMessage m, int method, int code, StunIntegrity key) {
        server.rejected.incrementAndGet();
        respond(link, m, method, ERROR, key, w -> w.errorCode(code, reason(code)));
    }

    private void unknownAttributes(ClientLink link, StunMessage m, int method, StunIntegrity key, List<Integer> unknown) {
        byte[] list = new byte[2 * unknown.size()];
        for (int i = 0; i < unknown.size(); i++) {
            list[2 * i] = (byte) (unknown.get(i) >>> 8);
            list[2 * i + 1] = (byte) (int) unknown.get(i);
        }
        server.rejected.incrementAndGet();
        respond(link, m, method, ERROR, key, w -> w
                .errorCode(UNKNOWN_ATTRIBUTE, reason(UNKNOWN_ATTRIBUTE))
                .attribute(ATTR_UNKNOWN_ATTRIBUTES, list, 0, list.length));
    }

    /** Writes a response with the request's transaction id, MESSAGE-INTEGRITY when authenticated, and FINGERPRINT. */
    private void respond(ClientLink link, StunMessage m, int method, int cls, StunIntegrity key, Attributes attrs) {
        writer.start(out, 0, type(method, cls), m.buffer(), m.transactionIdOffset());
        attrs.write(writer);
        if (key != null) writer.messageIntegrity(key);
        int n = writer.fingerprint();
        ByteBuf buf = io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(out, 0, n);
        link.send(buf);
    }
}
