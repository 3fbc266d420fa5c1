package dev.parley.rtc.transport;

import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.ice.IceCandidate;
import dev.parley.rtc.stun.StunFormatException;
import dev.parley.rtc.stun.StunMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket shared by every {@link RtcTransport} (single-port ICE-lite), on its own Netty event
 * loop (epoll when available, NIO otherwise).
 *
 * <p>Datagrams from a known remote tuple go to its transport; the demux is RFC 7983. A tuple becomes
 * known only through a valid ICE check: an unknown tuple's Binding request is routed by the local ufrag
 * in its USERNAME. Everything else from unknown tuples, and anything malformed, is dropped and counted
 * in {@link #counters()}.
 *
 * <p>Threading: all packet processing and all {@link RtcTransportListener} callbacks run on
 * {@link #eventLoop()}. Transport state is confined to it; no locks on the media path.
 */
public final class UdpMux implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpMux.class);
    static final int MAX_DATAGRAM = 2048;

    private final UdpMuxConfig config;
    private final MultiThreadIoEventLoopGroup group;
    private final Channel channel;
    private final EventLoop loop;
    private final boolean epoll;
    private final MuxCounters counters = new MuxCounters();
    private final InetSocketAddress localAddress;
    private final List<IceCandidate> candidates;

    // event-loop confined
    private final LongObjectHashMap<RtcTransport> v4Routes = new LongObjectHashMap<>();
    private final Map<InetSocketAddress, RtcTransport> v6Routes = new HashMap<>();
    private final byte[] recvBuf = new byte[MAX_DATAGRAM];
    private final byte[] stunOut = new byte[512];
    private final StunMessage stun = new StunMessage();
    private boolean inReadBatch;

    // written from any thread
    private final Map<String, RtcTransport> byUfrag = new ConcurrentHashMap<>();
    private final Set<RtcTransport> transports = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> consentTimer;

    private UdpMux(UdpMuxConfig config) throws InterruptedException {
        this.config = config;
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("parley-udp", true), io);
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(type)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(new Inbound());
        try {
            this.channel = b.bind(config.bindAddress(), config.port()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        this.loop = channel.eventLoop();
        this.localAddress = (InetSocketAddress) channel.localAddress();
        List<InetAddress> announce = config.announcedAddresses().isEmpty()
                ? List.of(config.bindAddress()) : config.announcedAddresses();
        List<IceCandidate> c = new ArrayList<>();
        for (int i = 0; i < announce.size(); i++) c.add(IceCandidate.host(announce.get(i), localAddress.getPort(), 65535 - i));
        this.candidates = List.copyOf(c);
        long period = Math.max(50, Math.min(1000, config.consentTimeout().toMillis() / 4));
        this.consentTimer = loop.scheduleAtFixedRate(this::checkConsent, period, period, TimeUnit.MILLISECONDS);
        log.info("UDP mux listening on {} ({})", localAddress, epoll ? "epoll" : "nio");
    }

    /** Binds the socket and starts the event loop. */
    public static UdpMux start(UdpMuxConfig config) throws InterruptedException {
        return new UdpMux(config);
    }

    /** Creates a transport for one peer connection, with fresh ICE credentials. Any thread. */
    public RtcTransport createTransport(RtcTransportListener listener) {
        RtcTransport t = new RtcTransport(this, listener);
        transports.add(t);
        byUfrag.put(t.localIceCredentials().ufrag(), t);
        return t;
    }

    public InetSocketAddress localAddress() { return localAddress; }
    /** The host candidates every transport announces. */
    public List<IceCandidate> localCandidates() { return candidates; }
    public MuxCounters counters() { return counters; }

    /** Test hook: drops this fraction of incoming SRTP media datagrams, as a lossy network would. */
    public void setInboundRtpLossForTests(double fraction) { inboundRtpLoss = fraction; }

    private volatile double inboundRtpLoss;
    public DtlsCertificate certificate() { return config.certificate(); }
    /** The thread that runs all transports of this mux and their callbacks. */
    public EventLoop eventLoop() { return loop; }
    public boolean isEpoll() { return epoll; }
    UdpMuxConfig config() { return config; }
    byte[] stunScratch() { return stunOut; }

    void registerUfrag(String ufrag, RtcTransport t) { byUfrag.put(ufrag, t); }
    void unregisterUfrag(String ufrag, RtcTransport t) { byUfrag.remove(ufrag, t); }
    /** How many ufrags route to {@code t}: for tests that a closed transport is unreachable. */
    int ufragsOf(RtcTransport t) { return (int) byUfrag.values().stream().filter(x -> x == t).count(); }

    void addRoute(InetSocketAddress tuple, RtcTransport t) {
        if (tuple.getAddress() instanceof Inet4Address a) v4Routes.put(v4Key(a, tuple.getPort()), t);
        else v6Routes.put(tuple, t);
    }

    void removeRoute(InetSocketAddress tuple, RtcTransport t) {
        if (tuple.getAddress() instanceof Inet4Address a) {
            long k = v4Key(a, tuple.getPort());
            if (v4Routes.get(k) == t) v4Routes.remove(k);
        } else {
            v6Routes.remove(tuple, t);
        }
    }

    void forget(RtcTransport t) { transports.remove(t); }

    /** Inet4Address.hashCode() is its address as an int: a tuple key without allocating. */
    private static long v4Key(Inet4Address a, int port) {
        return ((a.hashCode() & 0xFFFFFFFFL) << 16) | port;
    }

    /** Sends one datagram. Any thread; on the loop inside a read batch, flushed at the batch end. */
    void send(byte[] b, int off, int len, InetSocketAddress to) {
        ByteBuf buf = channel.alloc().directBuffer(len);
        buf.writeBytes(b, off, len);
        DatagramPacket p = new DatagramPacket(buf, to);
        if (inReadBatch && loop.inEventLoop()) channel.write(p, channel.voidPromise());
        else channel.writeAndFlush(p, channel.voidPromise());
    }

    private void checkConsent() {
        long now = System.nanoTime();
        long timeout = config.consentTimeout().toNanos();
        for (RtcTransport t : transports) t.checkConsent(now, timeout);
    }

    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket p)) return;
            inReadBatch = true;
            try {
                ByteBuf content = p.content();
                int len = content.readableBytes();
                counters.datagramsReceived.incrementAndGet();
                if (len > MAX_DATAGRAM) {
                    counters.unclassified.incrementAndGet();
                    return;
                }
                content.getBytes(content.readerIndex(), recvBuf, 0, len);
                handle(recvBuf, len, p.sender());
            } catch (RuntimeException e) {
                // a bug in a listener must not take the socket down; log the first few only
                if (counters.handlerErrors.incrementAndGet() <= 10) log.warn("error handling a datagram", e);
            } finally {
                p.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            inReadBatch = false;
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("UDP socket error: {}", cause.toString()); // e.g. ICMP port unreachable
        }
    }

    private void handle(byte[] b, int len, InetSocketAddress from) {
        RtcTransport t = from.getAddress() instanceof Inet4Address a
                ? v4Routes.get(v4Key(a, from.getPort())) : v6Routes.get(from);
        int kind = PacketDemux.classify(b, 0, len);
        if (kind == PacketDemux.UNKNOWN) {
            counters.unclassified.incrementAndGet();
            return;
        }
        if (t == null) {
            if (kind != PacketDemux.STUN) {
                counters.unknownTuple.incrementAndGet();
                return;
            }
            StunMessage m = parseStun(b, len);
            if (m == null) return;
            t = transportForUsername(m);
            if (t == null) {
                counters.stunUnknownUfrag.incrementAndGet();
                return;
            }
            t.onStun(m, from, false);
            return;
        }
        switch (kind) {
            case PacketDemux.STUN -> {
                StunMessage m = parseStun(b, len);
                if (m != null) t.onStun(m, from, true);
            }
            case PacketDemux.DTLS -> t.onDtls(b, 0, len);
            case PacketDemux.RTP -> {
                double loss = inboundRtpLoss;
                if (loss > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < loss) {
                    return;                                // simulated network loss, before SRTP
                }
                t.onSrtp(false, b, 0, len);
            }
            case PacketDemux.RTCP -> t.onSrtp(true, b, 0, len);
            default -> counters.unclassified.incrementAndGet();
        }
    }

    private StunMessage parseStun(byte[] b, int len) {
        try {
            return stun.parse(b, 0, len);
        } catch (StunFormatException e) {
            counters.stunMalformed.incrementAndGet();
            return null;
        }
    }

    private RtcTransport transportForUsername(StunMessage m) {
        if (!m.isBindingRequest() || !m.hasUsername()) return null;
        byte[] b = m.buffer();
        int o = m.usernameOffset();
        int n = m.usernameLength();
        for (int i = 0; i < n; i++) {
            if (b[o + i] == ':') return byUfrag.get(new String(b, o, i, StandardCharsets.UTF_8));
        }
        return null;
    }

    /** Closes every transport and the socket, and stops the event loop. */
    @Override
    public void close() {
        consentTimer.cancel(false);
        for (RtcTransport t : List.copyOf(transports)) t.close();
        try {
            loop.submit(() -> { }).sync(); // let the transports' close tasks run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // loop already down
        }
        channel.close().awaitUninterruptibly(2000);
        group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(2000);
    }
}
