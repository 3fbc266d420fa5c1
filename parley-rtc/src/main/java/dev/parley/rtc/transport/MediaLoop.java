package dev.parley.rtc.transport;

import dev.parley.rtc.stun.StunFormatException;
import dev.parley.rtc.stun.StunMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media loop of a {@link UdpMux}: a Netty event loop thread with its own socket on the shared
 * media port (SO_REUSEPORT), the routes of the remote tuples whose datagrams the kernel delivers to
 * that socket, and an inbox for packets other loops hand to it.
 *
 * <p>Ownership: every {@link RtcTransport} is owned by one loop ({@link RtcTransport#loop()}), which
 * runs all its state, its listener callbacks and its sends. The kernel picks the socket (hence the
 * loop) that receives a tuple's datagrams by hashing the 4-tuple; when that is not the owner (the
 * owner is chosen when the transport is created, before any tuple is known, and an ICE restart may
 * move the peer to another tuple), the receiving loop copies the datagram into the owner's inbox.
 * Sends always leave from the owner's own socket: every socket is bound to the same address and
 * port, so the peer sees one server tuple whichever loop sends.
 *
 * <p>Receiving allocates nothing per datagram: the loop reads its socket with its own recvmmsg
 * ({@link LoopSocket}, {@link ReceiveBatch}) and finds the sender's route by numbers
 * ({@link SourceTuple}, {@link TupleRoutes}); the route holds the tuple's {@code InetSocketAddress},
 * made once when a valid check added it. Only a datagram from a tuple with no route may allocate
 * (a new peer's checks, or any datagram while another loop has validated tuples waiting to be
 * installed here). Without FFM the socket is a Netty channel's ({@link Inbound}).
 */
public final class MediaLoop {
    private static final Logger log = LoggerFactory.getLogger(MediaLoop.class);

    private final UdpMux mux;
    private final int index;
    private final EventLoop loop;
    private final LoopInbox inbox;
    private final MuxCounters counters;
    // one of these two is set once bound, before any datagram
    private Channel channel;                       // Netty reads (and, without a batch, writes) the socket
    private LoopSocket socket;                     // we read it with recvmmsg and write it with sendmmsg
    private DatagramBatch batch;                   // sends by sendmmsg; null: Netty's write

    // loop-confined
    private final TupleRoutes<RtcTransport> routes = new TupleRoutes<>();
    private final SourceTuple source = new SourceTuple();
    private final byte[] recvBuf = new byte[UdpMux.MAX_DATAGRAM];
    private final byte[] stunOut = new byte[512];
    private final StunMessage stun = new StunMessage();
    private boolean inReadBatch;
    private int batchDepth;
    // Kernel receive times (CLOCK_REALTIME ns; 0: none) for the forwarding delay: of the datagram
    // being handled (carried when relayed to its owner), and of the RTP packet being forwarded
    // (carried with the fan-out's hand-offs; 0 while anything else runs, so that resends, RTCP
    // answers and timers are not counted as forwarding).
    private long arrivalNanos;
    private long forwardingNanos;
    private final ForwardingDelay forwardingDelay = new ForwardingDelay();
    private final ArrivalClock arrivalClock = ArrivalClock.system();

    MediaLoop(UdpMux mux, int index, EventLoop loop, int loops) {
        this.mux = mux;
        this.index = index;
        this.loop = loop;
        this.counters = mux.counters();
        this.inbox = new LoopInbox(this, loops);
    }

    /** Netty's channel reads the socket; sends go through sendmmsg on its descriptor when possible. */
    void bind(Channel c) {
        this.channel = c;
        if (c instanceof io.netty.channel.unix.UnixChannel u) {
            this.batch = DatagramBatch.create(u.fd().intValue(), counters, forwardingDelay).orElse(null);
        }
    }

    /** The loop reads and writes its socket itself. */
    void bind(LoopSocket s) {
        this.socket = s;
        this.batch = DatagramBatch.create(s.fd().intValue(), counters, forwardingDelay)
                .orElseThrow(() -> new IllegalStateException("sendmmsg is not available"));
    }

    /** Whether SRTP leaves by our own sendmmsg batches (else by Netty's channel writes). */
    boolean batchesSends() {
        return batch != null;
    }

    /** Whether datagrams are read by our own recvmmsg (else by Netty's channel). */
    boolean readsItself() {
        return socket != null;
    }

    InetSocketAddress localAddress() {
        return socket != null ? socket.localAddress() : (InetSocketAddress) channel.localAddress();
    }

    /** Closes the socket; waits up to 2 s. Not on the loop. */
    void closeSocket() {
        try {
            loop.submit(() -> {
                if (batch != null) batch.close();    // a closed descriptor's number may be reused at once
                if (socket != null) socket.close();
                return null;
            }).awaitUninterruptibly(2000);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the loop has stopped: Netty closed the registered socket itself
        }
        if (channel != null) {
            channel.close().awaitUninterruptibly(2000);
        }
    }

    /**
     * Delay from the kernel's receive timestamp of an RTP packet to the sendmmsg of each copy this
     * loop sends; empty when the loop does not read its socket itself (Netty's read has no
     * timestamps). Any thread.
     */
    public ForwardingDelay forwardingDelay() {
        return forwardingDelay;
    }

    /**
     * When the datagram being handled arrived at the machine, in {@link System#nanoTime()}'s domain:
     * its kernel receive timestamp converted ({@link ArrivalClock}), also when another loop read it
     * and relayed it here; {@code nowNanos} when it has none (Netty's read path, a socket that does
     * not stamp). For a transport's listener, during its {@code onRtp}/{@code onRtcp}: what the loop
     * gets round to late (it was busy: GC, a large fan-out, an RTCP tick) keeps the spacing it had on
     * the wire, which the presenter's delay-based estimate reads from our transport-cc feedback
     * (issue #14). On the loop.
     */
    public long arrivalNanoTime(long nowNanos) {
        return arrivalClock.toNanoTime(arrivalNanos, nowNanos);
    }

    /** This loop's position in {@link UdpMux#loops()}. */
    public int index() {
        return index;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    /** Whether the calling thread is this loop's. */
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    public void execute(Runnable task) {
        loop.execute(task);
    }

    /**
     * Hands a copy of a packet to loop {@code to}, where {@code target.onHandoff} runs with it. Call on
     * this loop. Allocation-free; no lock. Returns false (packet dropped, counted) when {@code to}'s
     * queue from this loop is full.
     */
    public boolean handOff(MediaLoop to, HandoffTarget target, Object ref, byte[] b, int off, int len, long arg) {
        return handOff(to, target, ref, b, off, len, arg, forwardingNanos);
    }

    /** {@code receivedNanos}: the kernel receive time the packet's sends on {@code to} are measured from (0: none). */
    private boolean handOff(MediaLoop to, HandoffTarget target, Object ref, byte[] b, int off, int len, long arg,
                            long receivedNanos) {
        if (to.inbox.offer(this, target, ref, b, off, len, arg, receivedNanos)) {
            counters.handedOff.increment();
            return true;
        }
        counters.handoffDropped.increment();
        return false;
    }

    byte[] stunScratch() {
        return stunOut;
    }

    // ---- sending ----

    /**
     * Sends one datagram (STUN, DTLS) from this loop's socket. Any thread; inside a batch on the loop,
     * flushed at its end. With sendmmsg, from another thread (DTLS handshakes) it is copied and posted
     * to the loop: rare, so the copy and the task do not matter.
     */
    void send(byte[] b, int off, int len, InetSocketAddress to) {
        if (batch != null) {
            if (!loop.inEventLoop()) {
                byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
                try {
                    loop.execute(() -> send(copy, 0, copy.length, to));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the loop has stopped (a close_notify while the mux closes): nothing to send it with
                }
                return;
            }
            batch.add(b, off, len, DatagramBatch.sockaddr(to));
            if (!inReadBatch && batchDepth == 0) {
                batch.flush();
            }
            return;
        }
        ByteBuf buf = channel.alloc().directBuffer(len);
        buf.writeBytes(b, off, len);
        DatagramPacket p = new DatagramPacket(buf, to);
        if (loop.inEventLoop() && (inReadBatch || batchDepth > 0)) {
            channel.write(p, channel.voidPromise());      // one sendmmsg for the whole batch at flush
        } else {
            channel.writeAndFlush(p, channel.voidPromise());
        }
    }

    /**
     * Sends an SRTP/SRTCP datagram to {@code sockaddr} ({@link DatagramBatch#sockaddr} of {@code to}):
     * on the loop it joins the batch written at the end of the current read batch or inbox drain
     * (at once outside one), without allocating; from another thread it goes through Netty.
     */
    void sendMedia(byte[] b, int off, int len, InetSocketAddress to, byte[] sockaddr) {
        if (batch == null || !loop.inEventLoop()) {
            send(b, off, len, to);
            return;
        }
        batch.add(b, off, len, sockaddr, forwardingNanos);
        if (!inReadBatch && batchDepth == 0) {
            batch.flush();
        }
    }

    /**
     * From {@link LoopInbox}, around one handed-off packet: the receive time it carries (0 after it),
     * as if this loop had read it.
     */
    void handedOffReceivedAt(long receivedNanos) {
        arrivalNanos = receivedNanos;
        forwardingNanos = receivedNanos;
    }

    /**
     * Runs {@code task}, on this loop, with the datagrams it sends written together at its end
     * (one sendmmsg per up to 64) instead of one call each, as a read batch's are: for timer work
     * that sends many datagrams at once (the RTCP sub-ticks). Call on the loop.
     */
    public void runBatched(Runnable task) {
        beginBatch();
        try {
            task.run();
        } finally {
            endBatch();
        }
    }

    /** Sends made until the matching {@link #endBatch} are written together. On the loop. */
    void beginBatch() {
        batchDepth++;
    }

    void endBatch() {
        if (--batchDepth == 0 && !inReadBatch) {
            flushAll();
        }
    }

    private void flushAll() {
        if (batch != null && !batch.isEmpty()) {
            batch.flush();
        }
        if (channel != null) {
            channel.flush();
        }
    }

    void handlerError(RuntimeException e) {
        // a bug in a listener must not take the loop down; log the first few only
        if (counters.handlerErrors.incrementAndGet() <= 10) {
            log.warn("error handling a datagram", e);
        }
    }

    // ---- routes (loop-confined) ----

    void addRoute(InetSocketAddress tuple, RtcTransport t) {
        routes.put(tuple, t);
    }

    void removeRoute(InetSocketAddress tuple, RtcTransport t) {
        routes.remove(tuple, t);
    }

    // ---- receiving ----

    final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket p)) return;
            inReadBatch = true;
            try {
                ByteBuf content = p.content();
                int len = content.readableBytes();
                counters.datagramsReceived.increment();
                if (len > UdpMux.MAX_DATAGRAM) {
                    counters.truncated.increment();
                    return;
                }
                content.getBytes(content.readerIndex(), recvBuf, 0, len);
                received(recvBuf, len, source.set(p.sender()), p.sender());
            } catch (RuntimeException e) {
                handlerError(e);
            } finally {
                p.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            inReadBatch = false;
            if (batchDepth == 0) flushAll();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("UDP socket error: {}", cause.toString()); // e.g. ICMP port unreachable
        }
    }

    /** From {@link LoopSocket}: datagrams 0..n-1 of {@code reads}, sends batched until the end. */
    void onReadBatch(ReceiveBatch reads, int n) {
        counters.datagramsReceived.add(n);
        inReadBatch = true;
        try {
            for (int i = 0; i < n; i++) {
                if (reads.truncated(i)) {
                    counters.truncated.increment();     // larger than any datagram we serve
                } else if (!reads.sender(i, source)) {
                    counters.unclassified.incrementAndGet();
                } else {
                    reads.copy(i, recvBuf);
                    arrivalNanos = reads.timestamp(i);
                    try {
                        received(recvBuf, reads.length(i), source, null);
                    } catch (RuntimeException e) {
                        handlerError(e);
                    }
                }
            }
        } finally {
            arrivalNanos = 0;
            inReadBatch = false;
            if (batchDepth == 0) flushAll();
        }
    }

    /** Relay kinds in the hand-off's {@code arg}: the arriving loop's index is in the upper bits. */
    private static final int KNOWN_TUPLE = 1;
    private static final int UNKNOWN_TUPLE_STUN = 2;

    /**
     * A datagram from {@code source}; {@code sender} is its address when the caller has one (Netty),
     * else null: it is made only for a tuple with no route (a new peer's first check), never per
     * datagram of a known tuple.
     */
    private void received(byte[] b, int len, SourceTuple source, InetSocketAddress sender) {
        int kind = PacketDemux.classify(b, 0, len);
        if (kind == PacketDemux.UNKNOWN) {
            counters.unclassified.incrementAndGet();
            return;
        }
        int slot = routes.find(source);
        RtcTransport t;
        InetSocketAddress from;
        if (slot >= 0) {
            t = routes.transportAt(slot);
            from = routes.addressAt(slot);
        } else {
            if (kind != PacketDemux.STUN && !mux.hasPendingRoutes()) {
                counters.unknownTuple.incrementAndGet();    // no check has come from it: nothing to look up
                return;
            }
            from = sender != null ? sender : source.toAddress();
            t = mux.pendingRoute(from);                    // validated by its owner on another loop
            if (t != null) addRoute(from, t);
        }
        if (t == null) {
            if (kind != PacketDemux.STUN) {
                counters.unknownTuple.incrementAndGet();
                return;
            }
            StunMessage m = parseStun(b, len);
            if (m == null) return;
            t = mux.transportForUsername(m);
            if (t == null) {
                counters.stunUnknownUfrag.incrementAndGet();
                return;
            }
            if (t.loop() == this) {
                t.onStun(m, from, false, this);
            } else {
                relay(t, b, len, from, UNKNOWN_TUPLE_STUN);
            }
            return;
        }
        if (t.loop() != this) {
            relay(t, b, len, from, KNOWN_TUPLE);
            return;
        }
        dispatch(t, kind, b, len, from, this);
    }

    private void relay(RtcTransport t, byte[] b, int len, InetSocketAddress from, int how) {
        counters.relayed.increment();
        handOff(t.loop(), t.relayTarget(), from, b, 0, len, ((long) index << 8) | how, arrivalNanos);
    }

    /** On the owner: a datagram loop {@code arg >>> 8} received from {@code from} for {@code t}. */
    void onRelayed(RtcTransport t, InetSocketAddress from, byte[] b, int off, int len, long arg) {
        MediaLoop arrival = mux.loops().get((int) (arg >>> 8));
        if ((arg & 0xFF) == UNKNOWN_TUPLE_STUN) {
            StunMessage m = parseStun(b, len);
            if (m != null) t.onStun(m, from, false, arrival);
            return;
        }
        dispatch(t, PacketDemux.classify(b, off, len), b, len, from, arrival);
    }

    /** On the transport's owner loop: a datagram from a tuple its ICE checks validated. */
    private void dispatch(RtcTransport t, int kind, byte[] b, int len, InetSocketAddress from, MediaLoop arrival) {
        switch (kind) {
            case PacketDemux.STUN -> {
                StunMessage m = parseStun(b, len);
                if (m != null) t.onStun(m, from, true, arrival);
            }
            case PacketDemux.DTLS -> t.onDtls(b, 0, len);
            case PacketDemux.RTP -> {
                double loss = mux.inboundRtpLoss();
                if (loss > 0 && ThreadLocalRandom.current().nextDouble() < loss) {
                    return;                                // simulated network loss, before SRTP
                }
                forwardingNanos = arrivalNanos;          // what this packet's fan-out sends is measured from
                try {
                    t.onSrtp(false, b, 0, len);
                } finally {
                    forwardingNanos = 0;
                }
            }
            case PacketDemux.RTCP -> {
                forwardingNanos = 0;                     // a relayed RTCP: its answers (resends) are not forwarding
                t.onSrtp(true, b, 0, len);
            }
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
}
