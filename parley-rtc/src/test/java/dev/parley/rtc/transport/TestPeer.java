package dev.parley.rtc.transport;

import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.dtls.DtlsRole;
import dev.parley.rtc.dtls.DtlsSession;
import dev.parley.rtc.dtls.DtlsTestClient;
import dev.parley.rtc.dtls.Fingerprint;
import dev.parley.rtc.dtls.QueueDatagramTransport;
import dev.parley.rtc.dtls.SrtpKeyMaterial;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.srtp.SrtpContext;
import dev.parley.rtc.stun.Stun;
import dev.parley.rtc.stun.StunIntegrity;
import dev.parley.rtc.stun.StunMessage;
import dev.parley.rtc.stun.StunWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebRTC-like client over a real loopback UDP socket: its own STUN checks, BouncyCastle's DTLS
 * client (or, after {@link #serveDtls}, a DTLS server), and Parley's SRTP. Plays the controlling
 * full-ICE browser against the ICE-lite server.
 */
final class TestPeer implements AutoCloseable {
    final DatagramSocket socket;
    final InetSocketAddress server;
    final String ufrag = "cl" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    private final BlockingQueue<byte[]> stun = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> media = new LinkedBlockingQueue<>();
    private final QueueDatagramTransport dtls;
    private final Thread reader;
    private volatile DtlsSession dtlsServer; // set: DTLS datagrams go to it instead of the client queue
    private volatile boolean closed;
    SrtpKeyMaterial keys;
    SrtpContext out;
    SrtpContext in;

    TestPeer(InetSocketAddress server) throws SocketException {
        this(server, InetAddress.getLoopbackAddress());
    }

    TestPeer(InetSocketAddress server, InetAddress local) throws SocketException {
        this.server = server;
        this.socket = new DatagramSocket(new InetSocketAddress(local, 0));
        this.dtls = new QueueDatagramTransport(this::sendRaw);
        this.reader = Thread.ofPlatform().daemon().name("test-peer-" + socket.getLocalPort()).start(this::read);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void read() {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            byte[] d = Arrays.copyOf(buf, p.getLength());
            switch (PacketDemux.classify(d, 0, d.length)) {
                case PacketDemux.STUN -> stun.add(d);
                case PacketDemux.DTLS -> {
                    DtlsSession server = dtlsServer;
                    if (server != null) server.receive(d, 0, d.length); else dtls.offer(d, 0, d.length);
                }
                case PacketDemux.RTP, PacketDemux.RTCP -> media.add(d);
                default -> { }
            }
        }
    }

    void sendRaw(byte[] b, int off, int len) {
        try {
            socket.send(new DatagramPacket(b, off, len, server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void sendRaw(byte[] b) {
        sendRaw(b, 0, b.length);
    }

    /** A Binding request as a controlling browser sends it. */
    byte[] bindingRequest(IceCredentials serverCreds, String password, boolean useCandidate) {
        byte[] tx = new byte[12];
        ThreadLocalRandom.current().nextBytes(tx);
        byte[] buf = new byte[300];
        StunWriter w = new StunWriter().start(buf, 0, Stun.BINDING_REQUEST, tx, 0)
                .username(serverCreds.ufrag() + ":" + ufrag).priority(1_845_501_695L).iceControlling(0x1234_5678_9abcL);
        if (useCandidate) w.useCandidate();
        int n = w.messageIntegrity(StunIntegrity.shortTerm(password)).fingerprint();
        return Arrays.copyOf(buf, n);
    }

    /** Sends a check and returns the parsed response with the same transaction id, or null after 2 s. */
    StunMessage check(IceCredentials serverCreds, boolean useCandidate) throws InterruptedException {
        byte[] req = bindingRequest(serverCreds, serverCreds.password(), useCandidate);
        sendRaw(req);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            byte[] r = stun.poll(100, TimeUnit.MILLISECONDS);
            if (r == null) continue;
            StunMessage m = new StunMessage().parse(r, 0, r.length);
            if (m.hasTransactionId(req, 8)) return m;
        }
        return null;
    }

    /** Runs the DTLS handshake as client; keys SRTP. */
    void handshake(DtlsTestClient client) throws IOException {
        keys = client.connect(dtls);
        out = keys.outbound(false);
        in = keys.inbound(false);
    }

    /**
     * Plays the DTLS server, as an answerer with {@code a=setup:passive} does: waits for the
     * transport's ClientHello. Complete the returned future's keys with {@link #keyAsServer}.
     */
    CompletableFuture<SrtpKeyMaterial> serveDtls(DtlsCertificate certificate, Fingerprint expectedClient, Executor executor) {
        CompletableFuture<SrtpKeyMaterial> keyed = new CompletableFuture<>();
        DtlsSession session = new DtlsSession(certificate, this::sendRaw, executor, Duration.ofSeconds(20),
                new DtlsSession.Listener() {
                    @Override public void onConnected(SrtpKeyMaterial k) { keyed.complete(k); }
                    @Override public void onFailed(Exception cause) { keyed.completeExceptionally(cause); }
                    @Override public void onClosed() { }
                });
        session.setRole(DtlsRole.SERVER);
        session.setRemoteFingerprint(expectedClient);
        dtlsServer = session;
        return keyed;
    }

    /** Keys SRTP from a handshake this peer served. */
    void keyAsServer(CompletableFuture<SrtpKeyMaterial> keyed) throws Exception {
        try {
            keys = keyed.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the transport never completed a DTLS handshake as client", e);
        }
        out = keys.outbound(true);
        in = keys.inbound(true);
    }

    /** Next SRTP/SRTCP datagram received, or null. */
    byte[] nextMedia(long millis) throws InterruptedException {
        return media.poll(millis, TimeUnit.MILLISECONDS);
    }

    static int rtp(byte[] b, int ssrc, int seq, int payloadLen) {
        b[0] = (byte) 0x80;
        b[1] = 111;
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        writeInt(b, 4, seq * 960);
        writeInt(b, 8, ssrc);
        for (int i = 0; i < payloadLen; i++) b[12 + i] = (byte) (seq + i);
        return 12 + payloadLen;
    }

    static int receiverReport(byte[] b, int ssrc, int marker) {
        b[0] = (byte) 0x81;
        b[1] = (byte) 201;
        b[2] = 0;
        b[3] = 7;
        writeInt(b, 4, ssrc);
        for (int i = 8; i < 32; i++) b[i] = (byte) (marker + i);
        return 32;
    }

    static void writeInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        dtls.close();
        DtlsSession server = dtlsServer;
        if (server != null) server.close();
    }

}
