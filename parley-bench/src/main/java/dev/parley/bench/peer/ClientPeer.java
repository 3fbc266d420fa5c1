package dev.parley.bench.peer;

import dev.parley.bench.impair.LinkImpairment;
import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.dtls.DtlsSrtpClient;
import dev.parley.rtc.dtls.Fingerprint;
import dev.parley.rtc.dtls.QueueDatagramTransport;
import dev.parley.rtc.dtls.SrtpKeyMaterial;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.srtp.SrtpContext;
import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.rtc.stun.Stun;
import dev.parley.rtc.stun.StunIntegrity;
import dev.parley.rtc.stun.StunMessage;
import dev.parley.rtc.stun.StunWriter;
import dev.parley.rtc.transport.PacketDemux;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client (browser) side of one WebRTC peer connection against an ICE-lite server: one UDP
 * socket (on loopback when the server's address is), full-ICE controlling checks with USE-CANDIDATE and MESSAGE-INTEGRITY, a DTLS
 * client handshake, then SRTP/SRTCP both ways. Received media is decrypted on the reactor thread
 * and handed to the {@link MediaListener}; sends may come from any thread.
 */
public final class ClientPeer implements AutoCloseable {
    /** Decrypted media; called on the reactor thread with a buffer valid only during the call. */
    public interface MediaListener {
        void onRtp(byte[] buf, int off, int len, long arrivalNanos);

        void onRtcp(byte[] buf, int off, int len, long arrivalNanos);
    }

    private static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final UdpReactor reactor;
    private final DtlsCertificate certificate;
    private final SrtpProfile[] profiles;
    private final IceCredentials local = IceCredentials.random();
    private final DatagramChannel channel;
    private final QueueDatagramTransport dtls;
    private final Object sendLock = new Object();
    private final byte[] sendBuf = new byte[1600];
    private final ByteBuffer sendView = ByteBuffer.wrap(sendBuf);
    private final byte[] stunBuf = new byte[300];
    private final StunMessage stunIn = new StunMessage();
    private final long tieBreaker = ThreadLocalRandom.current().nextLong();
    private final AtomicLong srtpFailures = new AtomicLong();

    private volatile MediaListener listener;
    private volatile SrtpContext in;
    private SrtpContext out;                       // guarded by sendLock
    private volatile byte[] checkTx;               // transaction id of the outstanding check
    private volatile boolean checkSucceeded;
    private volatile IceCredentials remote;
    private volatile StunIntegrity remoteIntegrity;
    private volatile boolean closed;
    private LinkImpairment impairment;            // set before connect; then reactor thread only

    public ClientPeer(UdpReactor reactor, DtlsCertificate certificate, SrtpProfile... profiles) throws IOException {
        this.reactor = reactor;
        this.certificate = certificate;
        this.profiles = profiles;
        this.channel = DatagramChannel.open();
        channel.configureBlocking(false);
        this.dtls = new QueueDatagramTransport(this::sendRaw);
    }

    /**
     * Emulates an impaired link from the server to this peer: its media datagrams (SRTP and
     * SRTCP; not STUN or DTLS, so connecting takes the usual time) go through {@code link} before
     * they are decrypted. Call before {@link #connect}.
     */
    public void impair(LinkImpairment link) {
        this.impairment = link;
    }

    boolean impaired() {
        return impairment != null;
    }

    long nextRelease() {
        return impairment.nextRelease();
    }

    /** Reactor thread: hands over the delayed datagrams due by {@code now}, using {@code scratch}. */
    void releaseDue(long now, byte[] scratch) {
        for (int n; (n = impairment.poll(now, scratch)) >= 0; ) {
            onMedia(scratch, n, now);
        }
    }

    DatagramChannel channel() {
        return channel;
    }

    public IceCredentials localCredentials() {
        return local;
    }

    public Fingerprint localFingerprint() {
        return certificate.fingerprint();
    }

    public void setListener(MediaListener listener) {
        this.listener = listener;
    }

    public long srtpFailures() {
        return srtpFailures.get();
    }

    /**
     * Connects to the server's candidate: ICE checks (nominating at once, as the controlling agent
     * against a lite one), then the DTLS handshake as client. Blocks; throws on timeout or failure.
     */
    public SrtpProfile connect(InetSocketAddress server, IceCredentials serverIce, Fingerprint serverFingerprint,
            long timeoutMillis) throws IOException {
        remote = serverIce;
        remoteIntegrity = StunIntegrity.shortTerm(serverIce.password());
        // A loopback server: stay on loopback. Any other address: the system picks the source
        // address of the route to it (connect binds the wildcard), so any announced address works.
        if (server.getAddress().isLoopbackAddress()) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }
        channel.connect(server);
        reactor.register(this);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!checkSucceeded) {
            if (System.nanoTime() > deadline || closed) {
                throw new IOException("ICE check to " + server + " timed out");
            }
            sendCheck();
            long until = System.nanoTime() + CHECK_INTERVAL_NANOS;
            while (!checkSucceeded && System.nanoTime() < until) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
        SrtpKeyMaterial keys = new DtlsSrtpClient(certificate, serverFingerprint, profiles).handshake(dtls);
        synchronized (sendLock) {
            out = keys.outbound(false);
        }
        in = keys.inbound(false);
        return keys.profile();
    }

    /** A binding request with USE-CANDIDATE; also used periodically for consent freshness (RFC 7675). */
    public void sendCheck() throws IOException {
        if (remote == null || closed) {
            return;                                  // not connecting yet: nobody to check
        }
        byte[] tx = new byte[12];
        ThreadLocalRandom.current().nextBytes(tx);
        checkTx = tx;
        synchronized (sendLock) {
            int n = new StunWriter().start(stunBuf, 0, Stun.BINDING_REQUEST, tx, 0)
                    .username(remote.ufrag() + ":" + local.ufrag())
                    .priority(1_845_501_695L)
                    .iceControlling(tieBreaker)
                    .useCandidate()
                    .messageIntegrity(remoteIntegrity)
                    .fingerprint();
            sendView.clear();
            sendView.put(stunBuf, 0, n).flip();
            channel.write(sendView);
        }
    }

    private void sendRaw(byte[] b, int off, int len) throws IOException {
        synchronized (sendLock) {
            sendView.clear();
            sendView.put(b, off, len).flip();
            channel.write(sendView);
        }
    }

    /** Protects and sends one RTP packet; returns false if not connected yet or the send failed. */
    public boolean sendRtp(byte[] buf, int off, int len) {
        synchronized (sendLock) {
            if (out == null || closed) {
                return false;
            }
            System.arraycopy(buf, off, sendBuf, 0, len);
            int n = out.protectRtp(sendBuf, 0, len);
            return n > 0 && write(n);
        }
    }

    /** Protects and sends one compound RTCP packet. */
    public boolean sendRtcp(byte[] buf, int off, int len) {
        synchronized (sendLock) {
            if (out == null || closed) {
                return false;
            }
            System.arraycopy(buf, off, sendBuf, 0, len);
            int n = out.protectRtcp(sendBuf, 0, len);
            return n > 0 && write(n);
        }
    }

    private boolean write(int n) {
        sendView.clear().limit(n);
        try {
            return channel.write(sendView) == n;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reactor thread. */
    void onDatagram(byte[] b, int len, long now) {
        switch (PacketDemux.classify(b, 0, len)) {
            case PacketDemux.STUN -> onStun(b, len);
            case PacketDemux.DTLS -> dtls.offer(b, 0, len);
            case PacketDemux.RTP, PacketDemux.RTCP -> {
                if (impairment == null || impairment.offer(b, len, now) == LinkImpairment.Fate.DELIVER_NOW) {
                    onMedia(b, len, now);
                }
            }
            default -> { }
        }
    }

    private void onMedia(byte[] b, int len, long now) {
        switch (PacketDemux.classify(b, 0, len)) {
            case PacketDemux.RTP -> {
                SrtpContext ctx = in;
                MediaListener l = listener;
                if (ctx == null || l == null) {
                    return;
                }
                int n = ctx.unprotectRtp(b, 0, len);
                if (n < 0) {
                    srtpFailures.incrementAndGet();
                    return;
                }
                l.onRtp(b, 0, n, now);
            }
            case PacketDemux.RTCP -> {
                SrtpContext ctx = in;
                MediaListener l = listener;
                if (ctx == null || l == null) {
                    return;
                }
                int n = ctx.unprotectRtcp(b, 0, len);
                if (n < 0) {
                    srtpFailures.incrementAndGet();
                    return;
                }
                l.onRtcp(b, 0, n, now);
            }
            default -> { }
        }
    }

    private void onStun(byte[] b, int len) {
        byte[] tx = checkTx;
        if (tx == null) {
            return;
        }
        try {
            stunIn.parse(b, 0, len);
        } catch (RuntimeException e) {
            return;
        }
        if (stunIn.isBindingSuccess() && stunIn.hasTransactionId(tx, 0) && remoteIntegrity.verify(stunIn)) {
            checkSucceeded = true;
        }
    }

    @Override
    public void close() {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        reactor.release();
        dtls.close();
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
