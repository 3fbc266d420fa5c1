package dev.parley.rtc.transport;

import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.ice.IceCandidate;
import dev.parley.rtc.stun.StunMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media port: every {@link RtcTransport} (single-port ICE-lite) on one UDP port, served by N
 * {@link MediaLoop}s, each a Netty event loop with its own socket bound to that port with
 * SO_REUSEPORT (epoll; NIO falls back to one loop).
 *
 * <p>Why one socket per loop: the kernel spreads the datagrams over the sockets by a hash of the
 * remote tuple, so each loop reads its own share with no lock and no hand-off, and a peer's
 * datagrams always reach the same loop. Each loop reads up to {@link #READ_BATCH} datagrams per
 * recvmmsg and writes every datagram of a read batch or an inbox drain with one sendmmsg. On Linux
 * with a JDK 22+ both are our own calls ({@link LoopSocket}: nothing is allocated per datagram either
 * way); elsewhere, or with {@code -Dparley.noRecvmmsg=true} / {@code -Dparley.noSendmmsg=true}, the
 * socket is a Netty datagram channel's (which allocates a packet, a buffer and an address per
 * received datagram).
 *
 * <p>Transports are spread over the loops as they are created (round robin): the per-receiver work
 * (rewrite, encrypt, send) of a big audience is what needs many cores, and it runs on the loop that
 * owns each receiver's transport. Datagrams that the kernel delivers to another loop than the owner
 * are copied to the owner ({@link MediaLoop}); so are an ICE restart's checks from a new tuple.
 *
 * <p>Datagrams from a known remote tuple go to its transport; the demux is RFC 7983. A tuple becomes
 * known only through a valid ICE check: an unknown tuple's Binding request is routed by the local ufrag
 * in its USERNAME. Everything else from unknown tuples, and anything malformed, is dropped and counted
 * in {@link #counters()}.
 *
 * <p>Threading: all packet processing and all {@link RtcTransportListener} callbacks of a transport run
 * on its loop ({@link RtcTransport#loop()}). Transport state is confined to it; no locks on the media path.
 */
public final class UdpMux implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpMux.class);
    static final int MAX_DATAGRAM = 2048;
    /** Datagrams read per recvmmsg call. */
    static final int READ_BATCH = 16;

    private final UdpMuxConfig config;
    private final MultiThreadIoEventLoopGroup group;
    private final List<MediaLoop> loops;
    private final boolean epoll;
    /** The loops read and write their sockets themselves (recvmmsg, sendmmsg), not through Netty channels. */
    private final boolean ownSockets;
    private final MuxCounters counters = new MuxCounters();
    private final InetSocketAddress localAddress;
    private final List<IceCandidate> candidates;
    private final AtomicInteger nextLoop = new AtomicInteger();

    // written from any thread
    private final Map<String, RtcTransport> byUfrag = new ConcurrentHashMap<>();
    /** Tuples validated by an owner loop for datagrams another loop receives: that loop installs them. */
    private final Map<InetSocketAddress, RtcTransport> pendingRoutes = new ConcurrentHashMap<>();
    private final Set<RtcTransport> transports = ConcurrentHashMap.newKeySet();
    private final List<ScheduledFuture<?>> consentTimers = new ArrayList<>();

    private UdpMux(UdpMuxConfig config) throws InterruptedException {
        this.config = config;
        this.epoll = Epoll.isAvailable();
        this.ownSockets = epoll && LoopSocket.isSupported();
        int n = epoll ? config.loops() : 1;
        if (!epoll && config.loops() > 1) log.warn("no epoll: one media loop instead of {}", config.loops());
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("parley-udp", true), io);
        List<MediaLoop> list = new ArrayList<>();
        try {
            int port = config.port();
            for (var executor : group) {
                MediaLoop loop = new MediaLoop(this, list.size(), (EventLoop) executor, n);
                if (ownSockets) {
                    loop.bind(LoopSocket.open(loop, config.bindAddress(), port));
                } else {
                    loop.bind(bootstrap(loop).bind(config.bindAddress(), port).sync().channel());
                }
                list.add(loop);
                port = loop.localAddress().getPort();     // the others share it
            }
        } catch (java.io.IOException e) {
            for (MediaLoop l : list) l.closeSocket();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new java.io.UncheckedIOException("cannot bind the media port " + config.bindAddress() + ":" + config.port(), e);
        } catch (InterruptedException | RuntimeException e) {
            for (MediaLoop l : list) l.closeSocket();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        this.loops = List.copyOf(list);
        this.localAddress = loops.get(0).localAddress();
        List<InetAddress> announce = config.announcedAddresses().isEmpty()
                ? List.of(config.bindAddress()) : config.announcedAddresses();
        List<IceCandidate> c = new ArrayList<>();
        for (int i = 0; i < announce.size(); i++) c.add(IceCandidate.host(announce.get(i), localAddress.getPort(), 65535 - i));
        this.candidates = List.copyOf(c);
        long period = Math.max(50, Math.min(1000, config.consentTimeout().toMillis() / 4));
        for (MediaLoop l : loops) {
            consentTimers.add(l.eventLoop().scheduleAtFixedRate(() -> checkConsent(l), period, period, TimeUnit.MILLISECONDS));
        }
        log.info("UDP mux listening on {} ({}, {} media loop{})", localAddress,
                ownSockets ? "epoll, recvmmsg and sendmmsg" : epoll ? "epoll channel" : "nio channel",
                loops.size(), loops.size() == 1 ? "" : "s");
    }

    private Bootstrap bootstrap(MediaLoop loop) {
        Bootstrap b = new Bootstrap()
                .group(loop.eventLoop())
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(loop.new Inbound());
        if (epoll) {
            // recvmmsg: Netty reads up to READ_BATCH datagrams of at most MAX_DATAGRAM bytes per call
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * READ_BATCH))
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(EpollChannelOption.SO_REUSEPORT, true);
        } else {
            b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        }
        return b;
    }

    /** Binds the sockets and starts the media loops. */
    public static UdpMux start(UdpMuxConfig config) throws InterruptedException {
        return new UdpMux(config);
    }

    /** Creates a transport for one peer connection, with fresh ICE credentials, on the next loop. Any thread. */
    public RtcTransport createTransport(RtcTransportListener listener) {
        return createTransport(listener, loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size())));
    }

    /** Creates a transport owned by {@code loop} (one of {@link #loops()}). Any thread. */
    public RtcTransport createTransport(RtcTransportListener listener, MediaLoop loop) {
        if (loops.get(loop.index()) != loop) throw new IllegalArgumentException("a loop of another mux");
        RtcTransport t = new RtcTransport(this, loop, listener);
        transports.add(t);
        byUfrag.put(t.localIceCredentials().ufrag(), t);
        return t;
    }

    public InetSocketAddress localAddress() { return localAddress; }
    /** The host candidates every transport announces. */
    public List<IceCandidate> localCandidates() { return candidates; }
    public MuxCounters counters() { return counters; }
    /**
     * The forwarding delay of every loop, summed: kernel receive of an RTP packet to the sendmmsg of
     * each forwarded copy; empty when the loops do not read their sockets
     * themselves. Any thread.
     */
    public ForwardingDelay.Snapshot forwardingDelay() {
        return ForwardingDelay.merge(loops.stream().map(MediaLoop::forwardingDelay).toList());
    }
    /** The media loops, by index. */
    public List<MediaLoop> loops() { return loops; }

    /** Test hook: drops this fraction of incoming SRTP media datagrams, as a lossy network would. */
    public void setInboundRtpLossForTests(double fraction) { inboundRtpLoss = fraction; }

    private volatile double inboundRtpLoss;
    double inboundRtpLoss() { return inboundRtpLoss; }
    public DtlsCertificate certificate() { return config.certificate(); }
    /** The first media loop's thread (the only one with one loop). */
    public EventLoop eventLoop() { return loops.get(0).eventLoop(); }
    public boolean isEpoll() { return epoll; }
    /**
     * Whether the media loops read their sockets with their own recvmmsg and write them with their own
     * sendmmsg (Linux, epoll, JDK 22+), rather than through Netty datagram channels.
     * {@code -Dparley.noRecvmmsg=true} or {@code -Dparley.noSendmmsg=true} turns it off.
     */
    public boolean ownsSockets() { return ownSockets; }
    UdpMuxConfig config() { return config; }

    void registerUfrag(String ufrag, RtcTransport t) { byUfrag.put(ufrag, t); }
    void unregisterUfrag(String ufrag, RtcTransport t) { byUfrag.remove(ufrag, t); }
    /** How many ufrags route to {@code t}: for tests that a closed transport is unreachable. */
    int ufragsOf(RtcTransport t) { return (int) byUfrag.values().stream().filter(x -> x == t).count(); }

    /** From the owner of {@code t}: datagrams from {@code tuple}, received by loop {@code arrival}, are {@code t}'s. */
    void addRoute(MediaLoop arrival, InetSocketAddress tuple, RtcTransport t) {
        if (arrival.inLoop()) {
            arrival.addRoute(tuple, t);
        } else {
            pendingRoutes.put(tuple, t);   // installed by the arrival loop on the tuple's next datagram
        }
    }

    void removeRoute(MediaLoop arrival, InetSocketAddress tuple, RtcTransport t) {
        pendingRoutes.remove(tuple, t);
        if (arrival.inLoop()) arrival.removeRoute(tuple, t);
        else arrival.execute(() -> arrival.removeRoute(tuple, t));
    }

    boolean hasPendingRoutes() {
        return !pendingRoutes.isEmpty();
    }

    /** Only for datagrams from tuples the loop has no route for: rare. */
    RtcTransport pendingRoute(InetSocketAddress tuple) {
        return pendingRoutes.isEmpty() ? null : pendingRoutes.get(tuple);
    }

    void forget(RtcTransport t) { transports.remove(t); }

    private void checkConsent(MediaLoop loop) {
        long now = System.nanoTime();
        long timeout = config.consentTimeout().toNanos();
        for (RtcTransport t : transports) {
            if (t.loop() == loop) t.checkConsent(now, timeout);
        }
    }

    RtcTransport transportForUsername(StunMessage m) {
        if (!m.isBindingRequest() || !m.hasUsername()) return null;
        byte[] b = m.buffer();
        int o = m.usernameOffset();
        int n = m.usernameLength();
        for (int i = 0; i < n; i++) {
            if (b[o + i] == ':') return byUfrag.get(new String(b, o, i, StandardCharsets.UTF_8));
        }
        return null;
    }

    /** Closes every transport and the sockets, and stops the media loops. */
    @Override
    public void close() {
        consentTimers.forEach(f -> f.cancel(false));
        for (RtcTransport t : List.copyOf(transports)) t.close();
        for (MediaLoop l : loops) {
            try {
                l.eventLoop().submit(() -> { }).sync(); // let the transports' close tasks run
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException ignored) {
                // loop already down
            }
        }
        for (MediaLoop l : loops) l.closeSocket();
        group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(2000);
    }
}
