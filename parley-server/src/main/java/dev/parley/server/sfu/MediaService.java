package dev.parley.server.sfu;

import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.ice.IceCandidate;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.sdp.Candidate;
import dev.parley.rtc.sdp.Fingerprint;
import dev.parley.rtc.transport.MediaLoop;
import dev.parley.rtc.transport.MuxCounters;
import dev.parley.rtc.transport.RtcTransport;
import dev.parley.rtc.transport.RtcTransportListener;
import dev.parley.rtc.transport.UdpMux;
import dev.parley.rtc.transport.UdpMuxConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The media plane: one UDP port multiplexing every peer connection (ICE-lite, DTLS-SRTP),
 * and the periodic RTCP of every stream. All packet work runs on the mux's media loops
 * ({@link #MEDIA_LOOPS_PROPERTY}): each stream's on the loop that owns its transport, and
 * packets cross to the loops of receivers through {@link Fanout}.
 */
public final class MediaService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaService.class);

    private final UdpMux mux;
    private final ScheduledExecutorService scheduler;
    private final Set<UpStream> upStreams = ConcurrentHashMap.newKeySet();
    private final Set<DownStream> downStreams = ConcurrentHashMap.newKeySet();
    private final RtcpTicks[] ticks;            // by loop index; each confined to its loop
    private final MediaTotals totals = new MediaTotals(upStreams, downStreams);     // /metrics

    private MediaService(UdpMux mux, ScheduledExecutorService scheduler) {
        this.mux = mux;
        this.scheduler = scheduler;
        this.ticks = new RtcpTicks[mux.loops().size()];
        int subTicks = Integer.getInteger(RtcpTicks.SUB_TICKS_PROPERTY, RtcpTicks.SUB_TICKS);
        for (int i = 0; i < ticks.length; i++) {
            MediaLoop loop = mux.loops().get(i);
            // a sub-tick's reports leave in one sendmmsg (per 64), not one call each; with one
            // sub-tick per interval, the tick as it was before (for comparison): one call each
            ticks[i] = new RtcpTicks(subTicks, subTicks > 1 ? loop::runBatched : Runnable::run, DownStream::tick, UpStream::tick,
                    (stream, e) -> log.warn("RTCP tick of {} failed", stream, e));     // the others still get theirs
        }
    }

    /**
     * Starts the media plane on {@code port} (0 = ephemeral), announcing {@code announce}
     * (default: the machine's non-loopback addresses, else loopback).
     */
    public static MediaService start(int port, List<String> announce) throws IOException {
        return start(port, announce, mediaLoops());
    }

    /** As {@link #start(int, List)} with {@code loops} media loops. */
    public static MediaService start(int port, List<String> announce, int loops) throws IOException {
        List<InetAddress> addresses = announce.isEmpty() ? defaultAddresses() : resolve(announce);
        InetAddress bind = addresses.stream().allMatch(InetAddress::isLoopbackAddress)
                ? InetAddress.getLoopbackAddress() : InetAddress.getByName("0.0.0.0");
        try {
            DtlsCertificate certificate = DtlsCertificate.generate();
            UdpMux mux = UdpMux.start(new UdpMuxConfig(bind, port, addresses, certificate,
                    Executors.newVirtualThreadPerTaskExecutor(), handshakeTimeout(), null, srtpPreference(), loops));
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("media-timer").factory());
            MediaService service = new MediaService(mux, scheduler);
            for (MediaLoop loop : mux.loops()) {
                // on the loop's own timer: no task posted from another thread per sub-tick
                RtcpTicks t = service.ticks[loop.index()];
                loop.eventLoop().scheduleAtFixedRate(t, t.subTickMillis(), t.subTickMillis(), TimeUnit.MILLISECONDS);
            }
            log.info("media on UDP {} announcing {}", mux.localAddress(), addresses);
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the media plane", e);
        }
    }

    /**
     * The SRTP profile the server picks from the peer's DTLS use_srtp offer, most preferred first.
     * AEAD_AES_128_GCM first when it runs on OpenSSL (measured: about a third of AES-CM + HMAC-SHA1's
     * CPU per packet, and no allocation); otherwise AES-CM first, because the JDK's GCM it falls back
     * to allocates about 1 KB per packet. A peer that offers only one of them gets that one.
     * {@code -Dparley.srtp=gcm} or {@code =cm} forces the order.
     */
    static List<dev.parley.rtc.srtp.SrtpProfile> srtpPreference() {
        var cm = dev.parley.rtc.srtp.SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        var gcm = dev.parley.rtc.srtp.SrtpProfile.AEAD_AES_128_GCM;
        String forced = System.getProperty("parley.srtp", "");
        boolean gcmFirst = forced.equals("gcm") || (!forced.equals("cm") && dev.parley.rtc.srtp.SrtpProfile.gcmIsNative());
        return gcmFirst ? List.of(gcm, cm) : List.of(cm, gcm);
    }

    /** The media loops property's name: how many threads (and sockets on the media port) forward media. */
    public static final String MEDIA_LOOPS_PROPERTY = "parley.mediaLoops";

    /**
     * {@code -Dparley.mediaLoops=N}, else one loop per available processor (what the JVM may
     * use: {@code taskset} or a container's CPU limit lowers it).
     */
    static int mediaLoops() {
        String value = System.getProperty(MEDIA_LOOPS_PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(MEDIA_LOOPS_PROPERTY + " must be a whole number in [1, 1024], not " + value);
    }

    /** The handshake timeout property's name: seconds, fractions allowed. */
    public static final String HANDSHAKE_TIMEOUT_PROPERTY = "parley.handshake-timeout";
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long a peer connection may take to complete ICE and DTLS before it fails and its
     * stream closes (a WHIP session ends): {@code -Dparley.handshake-timeout=SECONDS}, 30 by
     * default. Without it, peers that never send a check would hold group places forever.
     */
    static Duration handshakeTimeout() {
        String value = System.getProperty(HANDSHAKE_TIMEOUT_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_HANDSHAKE_TIMEOUT;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            if (seconds > 0 && seconds <= 3600) {
                return Duration.ofMillis(Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(HANDSHAKE_TIMEOUT_PROPERTY + " must be a number of seconds in (0, 3600], not " + value);
    }

    private static List<InetAddress> resolve(List<String> names) throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>();
        for (String n : names) {
            out.add(InetAddress.getByName(n));
        }
        return out;
    }

    private static List<InetAddress> defaultAddresses() throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    out.add(a);
                }
            }
        }
        if (out.isEmpty()) {
            out.add(InetAddress.getLoopbackAddress());
        }
        return out;
    }

    public MuxCounters counters() {
        return mux.counters();
    }

    /** The media loops' forwarding delay histogram, summed ({@link UdpMux#forwardingDelay}). */
    public dev.parley.rtc.transport.ForwardingDelay.Snapshot forwardingDelay() {
        return mux.forwardingDelay();
    }

    /** Packet, byte, NACK and PLI totals of every stream, closed ones included, for {@code /metrics}. */
    public MediaTotals totals() {
        return totals;
    }

    /**
     * Drops this fraction of incoming RTP from presenters, as a lossy network would; for tests
     * of NACK and keyframe recovery. Never set in production.
     */
    public void setIncomingLossForTests(double fraction) {
        mux.setInboundRtpLossForTests(fraction);
    }

    /** Counters of the media loop threads, for measurements (bench, notes): see {@link #loopStats()}. */
    public record LoopStats(long forwardedPackets, long cpuNanos, long allocatedBytes) {
    }

    /**
     * Packets forwarded to receivers so far, and the CPU time and heap allocation of the media
     * loop threads (summed), which do all per-packet work (receive, decrypt, forward, encrypt, send).
     */
    public LoopStats loopStats() {
        long forwarded = 0, cpu = 0, allocated = 0;
        for (LoopStats s : perLoopStats()) {
            forwarded += s.forwardedPackets();
            cpu += s.cpuNanos();
            allocated += s.allocatedBytes();
        }
        return new LoopStats(forwarded, cpu, allocated);
    }

    /** {@link #loopStats()} of each media loop, by index: how evenly the work is spread. */
    public List<LoopStats> perLoopStats() {
        List<LoopStats> all = new ArrayList<>();
        for (MediaLoop loop : mux.loops()) {
            try {
                all.add(loop.eventLoop().submit(() -> {
                    long id = Thread.currentThread().threadId();
                    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                    long forwarded = 0;
                    for (DownStream d : downStreams) {
                        if (ownedBy(d.transport(), loop)) {
                            forwarded += d.packetsSent();
                        }
                    }
                    return new LoopStats(forwarded, threads.getThreadCpuTime(id), threads.getThreadAllocatedBytes(id));
                }).get());
            } catch (Exception e) {
                throw new IllegalStateException("media loop unavailable", e);
            }
        }
        return all;
    }

    /** Whether {@code loop} runs the stream of {@code transport} (recorders run on their presenter's). */
    private static boolean ownedBy(MediaTransport transport, MediaLoop loop) {
        return transport != null && transport.loop() == loop;
    }

    /** How many media loops forward media. */
    public int loops() {
        return mux.loops().size();
    }


    public int port() {
        return mux.localAddress().getPort();
    }

    /** The announced media addresses (host candidates): where a relay for this server's clients must reach. */
    public List<java.net.InetSocketAddress> hostAddresses() {
        return mux.localCandidates().stream().map(c -> new java.net.InetSocketAddress(c.address(), c.port())).toList();
    }

    /** Schedules a task on the signalling side after a delay (S23's 200 ms push debounce). */
    public void schedule(Runnable task, long delayMillis) {
        scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * A transport for a presenter's stream, which then gets its periodic RTCP (RR/REMB every
     * second, {@link RtcpTicks}) on the transport's loop.
     */
    public MediaTransport newTransport(UpStream stream) {
        upStreams.add(stream);
        MuxTransport transport = new MuxTransport(stream, loop -> {
            if (upStreams.remove(stream)) {
                totals.retire(stream.counters(), true);
            }
            post(loop, () -> ticks[loop.index()].remove(stream));
        });
        post(transport.loop(), () -> ticks[transport.loop().index()].add(stream));
        return transport;
    }

    /** A transport for a receiver's stream, which then gets its periodic RTCP (SRs every 500 ms) on the transport's loop. */
    public MediaTransport newTransport(DownStream stream) {
        downStreams.add(stream);
        MuxTransport transport = new MuxTransport(stream, loop -> {
            if (downStreams.remove(stream)) {
                totals.retire(stream.counters(), false);
            }
            post(loop, () -> ticks[loop.index()].remove(stream));
        });
        post(transport.loop(), () -> ticks[transport.loop().index()].add(stream));
        return transport;
    }

    /**
     * Runs a change of a loop's {@link RtcpTicks} on the loop, always as a task, even on the loop
     * itself: a stream may close from inside its own tick, while its slot is being run.
     */
    private static void post(MediaLoop loop, Runnable change) {
        try {
            loop.execute(change);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the mux is closing: its loops tick nothing more
        }
    }

    /** Every media loop's RTCP sub-ticks ({@link RtcpTicks}) so far and the CPU they took; the longest of the last 5-10 s. */
    public record RtcpTickStats(long subTicks, long cpuNanos, long longestCpuNanos, long longestNanos) {
        RtcpTickStats plus(RtcpTickStats o) {
            return new RtcpTickStats(subTicks + o.subTicks, cpuNanos + o.cpuNanos,
                    Math.max(longestCpuNanos, o.longestCpuNanos), Math.max(longestNanos, o.longestNanos));
        }
    }

    /** Loop {@code index}'s RTCP ticks; loop-confined: for tests, read on that loop. */
    RtcpTicks rtcpTicks(int index) {
        return ticks[index];
    }

    /** {@link RtcpTickStats} of all loops: counts and CPU summed, the longest over the loops. Any thread. */
    public RtcpTickStats rtcpTickStats() {
        RtcpTickStats all = new RtcpTickStats(0, 0, 0, 0);
        for (RtcpTicks t : ticks) {
            all = all.plus(t.stats());
        }
        return all;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        mux.close();
    }

    /** A stream's {@link MediaTransport}: one {@link RtcTransport} of the shared UDP mux, whose events it passes to the stream. */
    private final class MuxTransport implements MediaTransport, RtcTransportListener {
        private final Listener listener;
        private final RtcTransport transport;
        private final java.util.function.Consumer<MediaLoop> onClose;
        private volatile LocalEndpoint local;

        MuxTransport(Listener listener, java.util.function.Consumer<MediaLoop> onClose) {
            this.listener = listener;
            this.onClose = onClose;
            this.transport = mux.createTransport(this);
            this.local = endpoint(transport.localIceCredentials());
        }

        private LocalEndpoint endpoint(IceCredentials credentials) {
            List<Candidate> candidates = new ArrayList<>();
            for (IceCandidate c : transport.localCandidates()) {
                candidates.add(Candidate.parse(c.toSdp()));
            }
            var fp = transport.localFingerprint();
            return new LocalEndpoint(credentials.ufrag(), credentials.password(),
                    new Fingerprint(fp.hashFunction(), fp.value()), candidates);
        }

        @Override
        public LocalEndpoint local() {
            return local;
        }

        @Override
        public void setRemoteFingerprint(Fingerprint fingerprint) {
            transport.setRemoteFingerprint(dev.parley.rtc.dtls.Fingerprint.parse(fingerprint.format()));
        }

        @Override
        public void setDtlsRole(dev.parley.rtc.dtls.DtlsRole role) {
            transport.setDtlsRole(role);
        }

        @Override
        public void setRemoteUfrag(String ufrag) {
            transport.setRemoteIceParameters(ufrag);
        }

        @Override
        public LocalEndpoint restartIce(String newRemoteUfrag) {
            local = endpoint(transport.restartIce(newRemoteUfrag));
            return local;
        }

        @Override
        public boolean isConnected() {
            return transport.state() == RtcTransport.State.CONNECTED;
        }

        @Override
        public boolean isDead() {
            return !transport.isRecoverable();
        }

        @Override
        public void sendRtp(byte[] buf, int off, int len) {
            transport.sendRtp(buf, off, len);
        }

        @Override
        public boolean resendRtp(byte[] buf, int off, int len) {
            return transport.resendRtp(buf, off, len);
        }

        @Override
        public void sendRtcp(byte[] buf, int off, int len) {
            transport.sendRtcp(buf, off, len);
        }

        @Override
        public void execute(Runnable task) {
            transport.loop().execute(task);
        }

        @Override
        public MediaLoop loop() {
            return transport.loop();
        }

        @Override
        public long arrivalNanos(long nowNanos) {
            return transport.loop().arrivalNanoTime(nowNanos);
        }

        @Override
        public void close() {
            transport.close();
            onClose.accept(transport.loop());
        }

        @Override
        public void onStateChange(RtcTransport t, RtcTransport.State state) {
            switch (state) {
                case CONNECTED -> listener.onConnected();
                case FAILED -> listener.onFailed(t.isRecoverable());
                default -> { }
            }
        }

        @Override
        public void onRtp(RtcTransport t, byte[] buf, int off, int len) {
            listener.onRtp(buf, off, len);
        }

        @Override
        public void onRtcp(RtcTransport t, byte[] buf, int off, int len) {
            listener.onRtcp(buf, off, len);
        }
    }
}
