package dev.parley.rtc.turn;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TURN server (RFC 8656) with long-term credentials: UDP and TCP towards clients, UDP relaying
 * towards peers. Everything (listeners, relay sockets, timers) runs on one Netty event loop, so the
 * allocation state needs no locks and no allocation gets a thread of its own.
 *
 * <p>Requests are handled by {@link TurnRequests}; this class owns the sockets and the relay path.
 */
public final class TurnServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TurnServer.class);
    /** Receive buffer: larger than any MTU, jumbo frames included; larger datagrams are truncated. */
    static final int MAX_DATAGRAM = 16384;
    private static final long TCP_IDLE_NANOS = 30_000_000_000L;

    final TurnConfig config;
    private final MultiThreadIoEventLoopGroup group;
    final EventLoop loop;
    final List<BoundListener> listeners = new ArrayList<>();
    final Set<InetSocketAddress> ownPorts = new HashSet<>();
    private final TurnRequests requests;
    private final ScheduledFuture<?> sweeper;

    // loop-confined
    final Set<Allocation> allocations = new HashSet<>();
    private final Set<ClientLink.Tcp> tcpLinks = new HashSet<>();
    private final byte[] inScratch = new byte[MAX_DATAGRAM];
    private final byte[] dataScratch = new byte[MAX_DATAGRAM + 64];
    private final byte[] txScratch = new byte[12];
    private final dev.parley.rtc.stun.StunWriter dataWriter = new dev.parley.rtc.stun.StunWriter();

    // read from any thread
    private volatile int allocationCount;
    private volatile int tcpCount;
    final AtomicLong relayedBytes = new AtomicLong();
    final AtomicLong relayedPackets = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();

    private TurnServer(TurnConfig config) throws IOException {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("parley-turn", true), NioIoHandler.newFactory());
        this.loop = group.next();
        this.requests = new TurnRequests(this);
        try {
            for (TurnConfig.Listener l : config.listeners()) listen(l);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while binding", e);
        }
        if (listeners.isEmpty()) {
            close();
            throw new IOException("couldn't bind any TURN listener on " + config.listeners());
        }
        sweeper = loop.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /** Binds every listener (UDP, then TCP on the same port) and starts serving. */
    public static TurnServer start(TurnConfig config) throws IOException {
        return new TurnServer(config);
    }

    private void listen(TurnConfig.Listener l) throws InterruptedException {
        Channel udp;
        try {
            udp = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                    .option(ChannelOption.SO_RCVBUF, 1 << 20)
                    .handler(new ClientDatagrams())
                    .bind(l.bind()).sync().channel();
        } catch (Exception e) {
            log.warn("TURN: cannot listen on UDP {}: {}", l.bind(), e.toString());
            return;
        }
        BoundListener bound = new BoundListener(l, udp);
        listeners.add(bound);
        ownPorts.add(bound.udpAddress);
        InetSocketAddress tcpAt = new InetSocketAddress(l.bind().getAddress(), bound.udpAddress.getPort());
        try {
            bound.tcp = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new TcpFramer(), new TcpClient(bound));
                        }
                    })
                    .bind(tcpAt).sync().channel();
            bound.tcpAddress = (InetSocketAddress) bound.tcp.localAddress();
            ownPorts.add(bound.tcpAddress);
        } catch (Exception e) {
            log.warn("TURN: cannot listen on TCP {}: {}", tcpAt, e.toString());
        }
        log.info("TURN server listening on {} (UDP{}), relaying from {}", bound.udpAddress,
                bound.tcpAddress != null ? " and TCP" : "", l.relayAddress().getHostAddress());
    }

    /** The UDP addresses actually bound (port 0 in the configuration becomes the real port). */
    public List<InetSocketAddress> udpAddresses() {
        return listeners.stream().map(l -> l.udpAddress).toList();
    }

    /** The TCP addresses actually bound. */
    public List<InetSocketAddress> tcpAddresses() {
        return listeners.stream().filter(l -> l.tcpAddress != null).map(l -> l.tcpAddress).toList();
    }

    public TurnStats stats() {
        return new TurnStats(allocationCount, relayedBytes.get(), relayedPackets.get(), dropped.get(), tcpCount,
                rejected.get());
    }

    // ---- allocations (loop only)

    /** Opens a relay socket synchronously (NIO), so the Allocate response can carry its port. */
    Channel openRelay(BoundListener l, boolean evenPort, RelayPeers handler) throws IOException {
        java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            if (evenPort) {
                bindEven(ch, l);
            } else {
                ch.bind(new InetSocketAddress(l.relayBindAddress(), 0));
            }
            NioDatagramChannel relay = new NioDatagramChannel(ch);
            relay.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_DATAGRAM));
            relay.pipeline().addLast(handler);
            loop.register(relay);
            return relay;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void bindEven(java.nio.channels.DatagramChannel ch, BoundListener l) throws IOException {
        IOException last = null;
        for (int i = 0; i < 32; i++) {
            int port = 49152 + 2 * ThreadLocalRandom.current().nextInt(8192);
            try {
                ch.bind(new InetSocketAddress(l.relayBindAddress(), port));
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    void added(Allocation a) {
        allocations.add(a);
        allocationCount = allocations.size();
    }

    void remove(Allocation a) {
        if (!allocations.remove(a)) return;
        allocationCount = allocations.size();
        requests.forget(a);
        switch (a.client) {
            case ClientLink.Udp u -> u.listener().udpAllocations.remove(u.remote(), a);
            case ClientLink.Tcp t -> {
                if (t.allocation == a) t.allocation = null;
            }
        }
        a.relay.close();
    }

    Allocation allocationOf(ClientLink link) {
        return switch (link) {
            case ClientLink.Udp u -> u.listener().udpAllocations.get(u.remote());
            case ClientLink.Tcp t -> t.allocation;
        };
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Allocation a : List.copyOf(allocations)) {
            if (a.expiresAt - now <= 0) {
                remove(a);
            } else {
                a.expire(now);
            }
        }
        for (ClientLink.Tcp t : List.copyOf(tcpLinks)) {
            if (t.allocation == null && now - t.openedAt() > TCP_IDLE_NANOS) t.close();   // nothing allocated: no hold on a socket
        }
    }

    // ---- relay path (loop only)

    void fromClientChannelData(Allocation a, ByteBuf frame) {
        int ri = frame.readerIndex();
        int channel = frame.getUnsignedShort(ri);
        int len = frame.getUnsignedShort(ri + 2);
        Allocation.Binding b = a.byChannel(channel);
        long now = System.nanoTime();
        if (frame.readableBytes() < 4 + len || b == null || !a.hasPermission(b.peer.getAddress(), now)
                || !a.bucket.take(len, now)) {
            dropped.incrementAndGet();
            return;
        }
        relayedBytes.addAndGet(len);
        relayedPackets.incrementAndGet();
        a.relay.writeAndFlush(new DatagramPacket(frame.retainedSlice(ri + 4, len), b.peer), a.relay.voidPromise());
    }

    void fromClientSend(Allocation a, byte[] buf, int off, int len, InetSocketAddress peer) {
        long now = System.nanoTime();
        if (!a.hasPermission(peer.getAddress(), now) || !config.peers().permits(peer, ownPorts) || !a.bucket.take(len, now)) {
            dropped.incrementAndGet();
            return;
        }
        ByteBuf out = a.relay.alloc().directBuffer(len).writeBytes(buf, off, len);
        relayedBytes.addAndGet(len);
        relayedPackets.incrementAndGet();
        a.relay.writeAndFlush(new DatagramPacket(out, peer), a.relay.voidPromise());
    }

    private void fromPeer(Allocation a, DatagramPacket p) {
        InetSocketAddress from = p.sender();
        ByteBuf content = p.content();
        int len = content.readableBytes();
        long now = System.nanoTime();
        if (!a.hasPermission(from.getAddress(), now) || !a.bucket.take(len, now)) {
            dropped.incrementAndGet();
            return;
        }
        ByteBufAllocator alloc = a.relay.alloc();
        Allocation.Binding b = a.byPeer(from);
        ByteBuf frame;
        if (b != null) {
            int padded = a.client.padsChannelData() ? (len + 3) & ~3 : len;
            frame = alloc.directBuffer(4 + padded);
            frame.writeShort(b.channel).writeShort(len).writeBytes(content, content.readerIndex(), len).writeZero(padded - len);
        } else {
            ThreadLocalRandom.current().nextBytes(txScratch);
            content.getBytes(content.readerIndex(), inScratch, 0, len);
            int n = dataWriter.start(dataScratch, 0, Turn.type(Turn.DATA, Turn.INDICATION), txScratch, 0)
                    .xorAddress(Turn.ATTR_XOR_PEER_ADDRESS, from.getAddress(), from.getPort())
                    .attribute(Turn.ATTR_DATA, inScratch, 0, len)
                    .length();
            frame = alloc.directBuffer(n).writeBytes(dataScratch, 0, n);
        }
        relayedBytes.addAndGet(len);          // counted first: a test may read the stats as soon as the frame lands
        relayedPackets.incrementAndGet();
        a.client.send(frame);
    }

    // ---- inbound handlers

    /** Datagrams from clients on a UDP listener: ChannelData goes straight to the relay, STUN to {@link TurnRequests}. */
    private final class ClientDatagrams extends ChannelInboundHandlerAdapter {
        private BoundListener bound;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket p = (DatagramPacket) msg;
            try {
                if (bound == null) bound = listenerOf(ctx.channel());
                ByteBuf c = p.content();
                int len = c.readableBytes();
                if (len < 4) return;
                if (Turn.isChannelData(c.getByte(c.readerIndex()))) {
                    Allocation a = bound.udpAllocations.get(p.sender());
                    if (a != null) fromClientChannelData(a, c);
                    else dropped.incrementAndGet();
                } else {
                    c.getBytes(c.readerIndex(), inScratch, 0, len);
                    requests.handle(inScratch, len, new ClientLink.Udp(ctx.channel(), p.sender(), bound));
                }
            } catch (RuntimeException e) {
                log.warn("TURN: error handling a datagram from {}", p.sender(), e);
            } finally {
                p.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("TURN UDP socket error: {}", cause.toString());
        }
    }

    private BoundListener listenerOf(Channel udp) {
        for (BoundListener l : listeners) {
            if (l.udp == udp) return l;
        }
        throw new IllegalStateException("unknown listener");
    }

    /** One client TCP connection, after {@link TcpFramer}. */
    private final class TcpClient extends ChannelInboundHandlerAdapter {
        private final BoundListener bound;
        private ClientLink.Tcp link;

        TcpClient(BoundListener bound) {
            this.bound = bound;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (tcpLinks.size() >= config.limits().maxTcpConnections()) {
                ctx.close();
                return;
            }
            link = new ClientLink.Tcp(ctx.channel(), bound);
            tcpLinks.add(link);
            tcpCount = tcpLinks.size();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                if (link == null) return;
                int len = frame.readableBytes();
                if (Turn.isChannelData(frame.getByte(frame.readerIndex()))) {
                    if (link.allocation != null) fromClientChannelData(link.allocation, frame);
                    else dropped.incrementAndGet();
                } else if (len <= MAX_DATAGRAM) {
                    frame.getBytes(frame.readerIndex(), inScratch, 0, len);
                    requests.handle(inScratch, len, link);
                } else {
                    ctx.close();     // a STUN message this large is no TURN client's
                }
            } catch (RuntimeException e) {
                log.warn("TURN: error handling a TCP frame from {}", ctx.channel().remoteAddress(), e);
            } finally {
                frame.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (link == null) return;
            tcpLinks.remove(link);
            tcpCount = tcpLinks.size();
            if (link.allocation != null) remove(link.allocation);   // RFC 8656 §5: the allocation ends with its connection
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("TURN TCP connection error: {}", cause.toString());
            ctx.close();
        }
    }

    /** Datagrams from peers arriving on one allocation's relay socket. */
    final class RelayPeers extends ChannelInboundHandlerAdapter {
        Allocation allocation;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket p = (DatagramPacket) msg;
            try {
                if (allocation != null) fromPeer(allocation, p);
            } catch (RuntimeException e) {
                log.warn("TURN: error relaying from {}", p.sender(), e);
            } finally {
                p.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("TURN relay socket error: {}", cause.toString());   // e.g. ICMP port unreachable
        }
    }

    RelayPeers newRelayHandler() {
        return new RelayPeers();
    }

    /** Closes every allocation and listener and stops the event loop. */
    @Override
    public void close() {
        if (!loop.isShuttingDown()) {
            try {
                loop.submit(() -> {
                    for (Allocation a : List.copyOf(allocations)) remove(a);
                    for (BoundListener l : listeners) {
                        l.udp.close();
                        if (l.tcp != null) l.tcp.close();
                    }
                    for (ClientLink.Tcp t : List.copyOf(tcpLinks)) t.close();
                }).await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (sweeperStarted()) sweeper.cancel(false);
        group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(3000);
    }

    private boolean sweeperStarted() {
        return sweeper != null;
    }
}
