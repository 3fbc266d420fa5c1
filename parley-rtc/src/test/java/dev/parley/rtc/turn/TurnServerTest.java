package dev.parley.rtc.turn;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static dev.parley.rtc.turn.Turn.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The TURN server over real UDP and TCP sockets on loopback, with a hand-written client. */
class TurnServerTest {
    static final String USER = "galene";
    static final String PASSWORD = "secret";
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private TurnServer server;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) c.close();
        if (server != null) server.close();
    }

    private TurnServer start(TurnLimits limits, PeerPolicy peers) throws IOException {
        server = TurnServer.start(new TurnConfig(
                List.of(new TurnConfig.Listener(new InetSocketAddress(LOOPBACK, 0), LOOPBACK)),
                "galene.org", Map.of(USER, PASSWORD), limits, peers, null));
        return server;
    }

    private TurnServer startForLoopback() throws IOException {
        return start(TurnLimits.defaults(), PeerPolicy.allowingLoopbackForTests());
    }

    private TurnClient udpClient() throws IOException {
        TurnClient c = TurnClient.udp(server.udpAddresses().get(0));
        toClose.add(c);
        return c;
    }

    private TurnClient tcpClient() throws IOException {
        TurnClient c = TurnClient.tcp(server.tcpAddresses().get(0));
        toClose.add(c);
        return c;
    }

    private DatagramSocket peer() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(5000);
        toClose.add(s);
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[70000], 70000);
        s.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    /** Waits until the event loop has processed everything sent so far, via a Binding round trip. */
    private static void sync(TurnClient c) throws IOException {
        assertThat(c.request(BINDING, w -> { }, false).type()).isEqualTo(type(BINDING, SUCCESS));
    }

    @Test
    void unauthenticatedAllocateGets401WithRealmAndNonceAndAllocatesNothing() throws Exception {
        startForLoopback();
        TurnClient c = udpClient();
        TurnClient.Answer a = c.challenge(ALLOCATE, w -> w.uint32(ATTR_REQUESTED_TRANSPORT, (long) TRANSPORT_UDP << 24));
        assertThat(a.type()).isEqualTo(type(ALLOCATE, ERROR));
        assertThat(a.errorCode()).isEqualTo(UNAUTHORIZED);
        assertThat(c.realm).isEqualTo("galene.org");
        assertThat(c.nonce).isNotBlank();
        assertThat(a.message().hasMessageIntegrity()).isFalse();
        assertThat(server.stats().allocations()).isZero();
    }

    @Test
    void allocateWithLongTermCredentialsReturnsRelayedAddressLifetimeAndIntegrity() throws Exception {
        startForLoopback();
        TurnClient c = udpClient();
        TurnClient.Answer a = c.allocate(USER, PASSWORD);
        assertThat(a.type()).isEqualTo(type(ALLOCATE, SUCCESS));
        InetSocketAddress relayed = a.xorAddress(ATTR_XOR_RELAYED_ADDRESS);
        assertThat(relayed.getAddress()).isEqualTo(LOOPBACK);
        assertThat(relayed.getPort()).isPositive();
        assertThat(a.xorAddress(ATTR_XOR_MAPPED_ADDRESS)).isEqualTo(c.localAddress());
        assertThat(a.lifetime()).isBetween(599L, 600L);
        assertThat(c.key.verify(a.message())).as("MESSAGE-INTEGRITY with the long-term key").isTrue();
        assertThat(server.stats().allocations()).isEqualTo(1);
    }

    @Test
    void lifetimeIsCappedAtOneHourAndRefreshZeroDeletes() throws Exception {
        startForLoopback();
        TurnClient c = udpClient();
        assertThat(c.allocate(USER, PASSWORD, w -> w.uint32(ATTR_LIFETIME, 86400)).lifetime()).isBetween(3599L, 3600L);
        assertThat(c.refresh(100000).lifetime()).isEqualTo(3600);
        TurnClient.Answer deleted = c.refresh(0);
        assertThat(deleted.type()).isEqualTo(type(REFRESH, SUCCESS));
        assertThat(deleted.lifetime()).isZero();
        assertThat(server.stats().allocations()).isZero();
        assertThat(c.refresh(600).errorCode()).isEqualTo(ALLOCATION_MISMATCH);
    }

    @Test
    void wrongPasswordUnknownUserAndWrongRealmGet401() throws Exception {
        startForLoopback();
        assertThat(udpClient().allocate(USER, "wrong").errorCode()).isEqualTo(UNAUTHORIZED);
        assertThat(udpClient().allocate("mallory", PASSWORD).errorCode()).isEqualTo(UNAUTHORIZED);
        TurnClient c = udpClient();
        c.challenge(ALLOCATE, w -> { });
        c.realm = "example.org";
        c.useCredentials(USER, PASSWORD);
        assertThat(c.allocateAgain().errorCode())
                .isEqualTo(UNAUTHORIZED);
        assertThat(server.stats().allocations()).isZero();
    }

    @Test
    void forgedOrForeignNonceGets438WithAFreshNonce() throws Exception {
        startForLoopback();
        TurnClient c = udpClient();
        c.challenge(ALLOCATE, w -> { });
        c.useCredentials(USER, PASSWORD);
        c.nonce = "AAAAAAAAAAAAAAAAAAAAAAAAAAA";
        TurnClient.Answer a = c.allocateAgain();
        assertThat(a.errorCode()).isEqualTo(STALE_NONCE);
        assertThat(a.attributes().nonce).isNotBlank().isNotEqualTo(c.nonce);
        // a nonce issued to another client address is not valid here either
        TurnClient other = udpClient();
        other.challenge(ALLOCATE, w -> { });
        c.nonce = other.nonce;
        assertThat(c.allocateAgain().errorCode())
                .isEqualTo(STALE_NONCE);
        assertThat(server.stats().allocations()).isZero();
    }

    @Test
    void missingOrTcpTransportAndUnknownAttributesGetTheirErrors() throws Exception {
        startForLoopback();
        TurnClient c = udpClient();
        c.allocate(USER, PASSWORD, w -> { }); // learns realm/nonce; this one succeeds
        TurnClient d = udpClient();
        d.challenge(ALLOCATE, w -> { });
        d.useCredentials(USER, PASSWORD);
        assertThat(d.request(ALLOCATE, w -> { }, true).errorCode()).isEqualTo(BAD_REQUEST);
        assertThat(d.request(ALLOCATE, w -> w.uint32(ATTR_REQUESTED_TRANSPORT, 6L << 24), true).errorCode())
                .isEqualTo(UNSUPPORTED_TRANSPORT);
        assertThat(d.request(ALLOCATE, w -> w.uint32(ATTR_REQUESTED_TRANSPORT, (long) TRANSPORT_UDP << 24)
                .uint32(ATTR_REQUESTED_ADDRESS_FAMILY, 0x02L << 24), true).errorCode()).isEqualTo(ADDRESS_FAMILY_NOT_SUPPORTED);
        TurnClient.Answer unknown = d.request(ALLOCATE, w -> w.uint32(ATTR_REQUESTED_TRANSPORT, (long) TRANSPORT_UDP << 24)
                .uint32(0x0033, 1), true);
        assertThat(unknown.errorCode()).isEqualTo(UNKNOWN_ATTRIBUTE);
        assertThat(unknown.bytes()).containsSequence(new byte[] {0x00, 0x0A, 0x00, 0x02, 0x00, 0x33});
        assertThat(server.stats().allocations()).isEqualTo(1);
    }

    @Test
    void secondAllocateOnTheSameTupleIsAMismatchButARetransmissionGetsTheSameAnswer() throws Exception {
        startForLoopback();
        TurnClient c = udpClient();
        c.challenge(ALLOCATE, w -> { });
        c.useCredentials(USER, PASSWORD);
        byte[] tx = new byte[12];
        ThreadLocalRandom.current().nextBytes(tx);
        TurnClient.Answer first = c.allocateAgain(tx);
        TurnClient.Answer again = c.allocateAgain(tx);
        assertThat(again.xorAddress(ATTR_XOR_RELAYED_ADDRESS)).isEqualTo(first.xorAddress(ATTR_XOR_RELAYED_ADDRESS));
        assertThat(c.allocateAgain().errorCode())
                .isEqualTo(ALLOCATION_MISMATCH);
        assertThat(server.stats().allocations()).isEqualTo(1);
    }

    @Test
    void sendAndDataIndicationsRelayOnlyWithAPermission() throws Exception {
        startForLoopback();
        TurnClient c = udpClient();
        InetSocketAddress relayed = c.allocate(USER, PASSWORD).xorAddress(ATTR_XOR_RELAYED_ADDRESS);
        DatagramSocket peer = peer();
        InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();

        c.sendIndication(peerAddress, bytes("before permission"));
        sync(c);
        assertThat(server.stats().dropped()).isEqualTo(1);

        assertThat(c.createPermission(peerAddress).type()).isEqualTo(type(CREATE_PERMISSION, SUCCESS));
        c.sendIndication(peerAddress, bytes("hello peer"));
        assertThat(new String(receive(peer), StandardCharsets.UTF_8)).isEqualTo("hello peer");

        peer.send(new DatagramPacket(bytes("hello client"), 12, relayed));
        assertThat(new String(c.receiveData(), StandardCharsets.UTF_8)).isEqualTo("hello client");
        assertThat(server.stats().relayedPackets()).isEqualTo(2);
        assertThat(server.stats().relayedBytes()).isEqualTo(10 + 12);
    }

    @Test
    void channelDataFlowsBothWaysAfterChannelBind() throws Exception {
        startForLoopback();
        TurnClient c = udpClient();
        InetSocketAddress relayed = c.allocate(USER, PASSWORD).xorAddress(ATTR_XOR_RELAYED_ADDRESS);
        DatagramSocket peer = peer();
        InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
        assertThat(c.channelBind(0x4001, peerAddress).type()).isEqualTo(type(CHANNEL_BIND, SUCCESS));
        c.sendChannelData(0x4001, bytes("over channel"));
        assertThat(new String(receive(peer), StandardCharsets.UTF_8)).isEqualTo("over channel");
        peer.send(new DatagramPacket(bytes("back"), 4, relayed));
        byte[] frame = c.receiveFrame();
        assertThat(frame[0]).isEqualTo((byte) 0x40);
        assertThat(frame[1]).isEqualTo((byte) 0x01);
        assertThat(new String(frame, 4, 4, StandardCharsets.UTF_8)).isEqualTo("back");
        // rebinding the channel to another peer, or the peer to another channel, is refused
        DatagramSocket other = peer();
        assertThat(c.channelBind(0x4001, (InetSocketAddress) other.getLocalSocketAddress()).errorCode()).isEqualTo(BAD_REQUEST);
        assertThat(c.channelBind(0x4002, peerAddress).errorCode()).isEqualTo(BAD_REQUEST);
        assertThat(c.channelBind(0x8000, (InetSocketAddress) other.getLocalSocketAddress()).errorCode()).isEqualTo(BAD_REQUEST);
    }

    @Test
    void tcpClientsAllocateAndExchangePaddedChannelData() throws Exception {
        startForLoopback();
        TurnClient c = tcpClient();
        TurnClient.Answer a = c.allocate(USER, PASSWORD);
        assertThat(a.type()).isEqualTo(type(ALLOCATE, SUCCESS));
        InetSocketAddress relayed = a.xorAddress(ATTR_XOR_RELAYED_ADDRESS);
        DatagramSocket peer = peer();
        InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
        assertThat(c.channelBind(0x4abc, peerAddress).type()).isEqualTo(type(CHANNEL_BIND, SUCCESS));
        c.sendChannelData(0x4abc, bytes("odd"));            // 3 bytes, padded to 4 on TCP
        c.sendChannelData(0x4abc, bytes("five!"));
        assertThat(new String(receive(peer), StandardCharsets.UTF_8)).isEqualTo("odd");
        assertThat(new String(receive(peer), StandardCharsets.UTF_8)).isEqualTo("five!");
        peer.send(new DatagramPacket(bytes("x"), 1, relayed));
        peer.send(new DatagramPacket(bytes("yz"), 2, relayed));
        assertThat(new String(c.receiveData(), StandardCharsets.UTF_8)).isEqualTo("x");
        assertThat(new String(c.receiveData(), StandardCharsets.UTF_8)).isEqualTo("yz");
        assertThat(server.stats().tcpConnections()).isEqualTo(1);
        c.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.stats().allocations() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(server.stats().allocations()).as("the allocation ends with its connection").isZero();
    }

    @Test
    void defaultPolicyRefusesLoopbackPrivateLinkLocalAndMulticastPeers() throws Exception {
        start(TurnLimits.defaults(), PeerPolicy.publicOnly(Set.of()));
        TurnClient c = udpClient();
        c.allocate(USER, PASSWORD);
        for (String forbidden : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1",
                "169.254.1.1", "224.0.0.1", "255.255.255.255", "0.0.0.0")) {
            InetSocketAddress p = new InetSocketAddress(InetAddress.getByName(forbidden), 5000);
            assertThat(c.createPermission(p).errorCode()).as(forbidden).isEqualTo(FORBIDDEN);
            assertThat(c.channelBind(0x4000, p).errorCode()).as(forbidden).isEqualTo(FORBIDDEN);
        }
        assertThat(c.createPermission(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5000)).type())
                .as("a public address").isEqualTo(type(CREATE_PERMISSION, SUCCESS));
    }

    @Test
    void alwaysAllowedAddressIsRelayedToEvenWhenPrivate() throws Exception {
        DatagramSocket sfu = peer();
        InetSocketAddress sfuAddress = (InetSocketAddress) sfu.getLocalSocketAddress();
        start(TurnLimits.defaults(), PeerPolicy.publicOnly(Set.of(sfuAddress)));
        TurnClient c = udpClient();
        c.allocate(USER, PASSWORD);
        assertThat(c.channelBind(0x4000, sfuAddress).type()).isEqualTo(type(CHANNEL_BIND, SUCCESS));
        c.sendChannelData(0x4000, bytes("to the sfu"));
        assertThat(new String(receive(sfu), StandardCharsets.UTF_8)).isEqualTo("to the sfu");
        // the same IP on another port is not the SFU
        InetSocketAddress otherPort = new InetSocketAddress(LOOPBACK, sfuAddress.getPort() == 9 ? 10 : 9);
        assertThat(c.channelBind(0x4001, otherPort).errorCode()).isEqualTo(FORBIDDEN);
    }

    @Test
    void relayingToTheServersOwnListeningPortIsRefused() throws Exception {
        startForLoopback();
        TurnClient c = udpClient();
        c.allocate(USER, PASSWORD);
        assertThat(c.channelBind(0x4000, server.udpAddresses().get(0)).errorCode()).isEqualTo(FORBIDDEN);
        assertThat(c.channelBind(0x4001, server.tcpAddresses().get(0)).errorCode()).isEqualTo(FORBIDDEN);
    }

    @Test
    void perClientAddressAndTotalAllocationLimits() throws Exception {
        start(TurnLimits.defaults().withMaxAllocations(3, 3, 2), PeerPolicy.allowingLoopbackForTests());
        assertThat(udpClient().allocate(USER, PASSWORD).type()).isEqualTo(type(ALLOCATE, SUCCESS));
        assertThat(udpClient().allocate(USER, PASSWORD).type()).isEqualTo(type(ALLOCATE, SUCCESS));
        assertThat(udpClient().allocate(USER, PASSWORD).errorCode()).as("third from 127.0.0.1").isEqualTo(ALLOCATION_QUOTA_REACHED);
        assertThat(server.stats().allocations()).isEqualTo(2);
        server.close();
        start(TurnLimits.defaults().withMaxAllocations(1, 5, 5), PeerPolicy.allowingLoopbackForTests());
        assertThat(udpClient().allocate(USER, PASSWORD).type()).isEqualTo(type(ALLOCATE, SUCCESS));
        assertThat(udpClient().allocate(USER, PASSWORD).errorCode()).isEqualTo(INSUFFICIENT_CAPACITY);
    }

    @Test
    void bandwidthCapDropsWhatExceedsIt() throws Exception {
        start(TurnLimits.defaults().withBytesPerSecond(1000), PeerPolicy.allowingLoopbackForTests());
        TurnClient c = udpClient();
        c.allocate(USER, PASSWORD);
        DatagramSocket peer = peer();
        c.channelBind(0x4000, (InetSocketAddress) peer.getLocalSocketAddress());
        byte[] payload = new byte[400];
        for (int i = 0; i < 50; i++) c.sendChannelData(0x4000, payload);  // 20 kB against a 1 kB/s cap
        sync(c);
        TurnStats s = server.stats();
        assertThat(s.relayedPackets()).isPositive().isLessThan(50);
        assertThat(s.dropped()).isPositive();
    }

    @Test
    void malformedAndTruncatedMessagesNeverStopTheServer() throws Exception {
        startForLoopback();
        TurnClient c = udpClient();
        byte[] header = new byte[20];
        header[1] = 0x03;
        header[4] = 0x21; header[5] = 0x12; header[6] = (byte) 0xA4; header[7] = 0x42;
        c.sendRaw(header, 19);                                    // truncated header
        byte[] lying = header.clone();
        lying[3] = 100;                                           // says 100 bytes follow, none do
        c.sendRaw(lying, 20);
        byte[] overrun = Arrays.copyOf(header, 28);
        overrun[3] = 8;
        overrun[20] = 0x00; overrun[21] = 0x19; overrun[22] = 0x01; overrun[23] = 0x00;   // attribute longer than the message
        c.sendRaw(overrun, 28);
        byte[] garbage = new byte[1500];
        ThreadLocalRandom.current().nextBytes(garbage);
        garbage[0] = 0x01;
        c.sendRaw(garbage, garbage.length);
        c.sendRaw(new byte[] {0x40, 0x00, 0x10, 0x00, 1, 2}, 6);  // ChannelData without allocation, lying length
        byte[] badLifetime = Arrays.copyOf(header, 28);
        badLifetime[3] = 8;
        badLifetime[21] = 0x0D; badLifetime[23] = 0x02;           // LIFETIME of 2 bytes
        // an authenticated request with a bad attribute size gets 400 before anything else
        TurnClient.Answer a = c.request(ALLOCATE, w -> w.attribute(ATTR_LIFETIME, new byte[2], 0, 2), false);
        assertThat(a.errorCode()).isEqualTo(BAD_REQUEST);
        // a huge (64 KB) datagram
        byte[] huge = new byte[65000];
        huge[0] = 0x00; huge[1] = 0x03;
        c.sendRaw(huge, huge.length);
        // still answering correctly
        assertThat(c.allocate(USER, PASSWORD).type()).isEqualTo(type(ALLOCATE, SUCCESS));
        // and a TCP client that sends garbage is disconnected, others are unaffected
        TurnClient t = tcpClient();
        t.sendRaw(new byte[] {(byte) 0xFF, 1, 2, 3}, 4);
        assertThat(t.receiveFrame()).isNull();
        assertThat(tcpClient().allocate(USER, PASSWORD).type()).isEqualTo(type(ALLOCATE, SUCCESS));
    }
}
