package dev.parley.rtc.turn;

import dev.parley.rtc.stun.StunIntegrity;
import dev.parley.rtc.stun.StunMessage;
import dev.parley.rtc.stun.StunWriter;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Consumer;

import static dev.parley.rtc.turn.Turn.*;

/**
 * A small blocking TURN client for tests and tools, over a real UDP or TCP socket: writes requests
 * with {@link StunWriter}, reads answers with {@link StunMessage}, and does the 401 dance of
 * long-term credentials. One thread at a time; not for media loads.
 */
public final class TurnClient implements AutoCloseable {
    private final DatagramSocket udp;
    private final Socket tcp;
    private final InetSocketAddress server;
    private final SecureRandom random = new SecureRandom();
    private final byte[] buf = new byte[70000];
    public String realm;
    public String nonce;
    public StunIntegrity key;
    public String username;

    private TurnClient(DatagramSocket udp, Socket tcp, InetSocketAddress server) {
        this.udp = udp;
        this.tcp = tcp;
        this.server = server;
    }

    public static TurnClient udp(InetSocketAddress server) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(5000);
        return new TurnClient(s, null, server);
    }

    public static TurnClient tcp(InetSocketAddress server) throws IOException {
        Socket s = new Socket();
        s.connect(server, 5000);
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        return new TurnClient(null, s, server);
    }

    /** A parsed answer: its own copy of the bytes. */
    public record Answer(byte[] bytes, StunMessage message) {
        public int type() {
            return message.type();
        }

        public int errorCode() {
            return message.hasErrorCode() ? message.errorCode() : -1;
        }

        TurnAttributes attributes() {
            return TurnAttributes.of(message);
        }

        /** An IPv4 XOR-encoded address attribute (XOR-RELAYED-ADDRESS, XOR-MAPPED-ADDRESS…), or null. */
        public InetSocketAddress xorAddress(int attrType) {
            int p = 20;
            while (p + 4 <= bytes.length) {
                int t = TurnAttributes.u16(bytes, p), len = TurnAttributes.u16(bytes, p + 2);
                if (t == attrType) {
                    int port = TurnAttributes.u16(bytes, p + 6) ^ 0x2112;
                    byte[] ip = new byte[4];
                    for (int i = 0; i < 4; i++) ip[i] = (byte) (bytes[p + 8 + i] ^ bytes[4 + i]);
                    try {
                        return new InetSocketAddress(InetAddress.getByAddress(ip), port);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
                p += 4 + ((len + 3) & ~3);
            }
            return null;
        }

        public long lifetime() {
            return attributes().lifetime;
        }
    }

    public void useCredentials(String username, String password) {
        this.username = username;
        this.key = realm == null ? null : new StunIntegrity(StunIntegrity.longTermKey(username, realm, password));
    }

    /** Sends an unauthenticated request to learn REALM and NONCE (expects 401). */
    public Answer challenge(int method, Consumer<StunWriter> attrs) throws IOException {
        Answer a = request(method, attrs, false);
        TurnAttributes t = a.attributes();
        realm = t.realm;
        nonce = t.nonce;
        return a;
    }

    /** Allocates with long-term credentials, after the 401 round trip. */
    public Answer allocate(String user, String password, Consumer<StunWriter> extra) throws IOException {
        Answer first = challenge(ALLOCATE, w -> w.uint32(ATTR_REQUESTED_TRANSPORT, (long) TRANSPORT_UDP << 24));
        if (first.errorCode() != UNAUTHORIZED) throw new AssertionError("expected 401, got " + first.errorCode());
        useCredentials(user, password);
        return request(ALLOCATE, w -> {
            w.uint32(ATTR_REQUESTED_TRANSPORT, (long) TRANSPORT_UDP << 24);
            extra.accept(w);
        }, true);
    }

    /** A signed UDP Allocate with the credentials already set. */
    public Answer allocateAgain() throws IOException {
        return request(ALLOCATE, w -> w.uint32(ATTR_REQUESTED_TRANSPORT, (long) TRANSPORT_UDP << 24), true);
    }

    public Answer allocateAgain(byte[] tx) throws IOException {
        return request(ALLOCATE, w -> w.uint32(ATTR_REQUESTED_TRANSPORT, (long) TRANSPORT_UDP << 24), true, tx);
    }

    public Answer allocate(String user, String password) throws IOException {
        return allocate(user, password, w -> { });
    }

    public Answer createPermission(InetSocketAddress... peers) throws IOException {
        return request(CREATE_PERMISSION, w -> {
            for (InetSocketAddress p : peers) w.xorAddress(ATTR_XOR_PEER_ADDRESS, p.getAddress(), p.getPort());
        }, true);
    }

    public Answer channelBind(int channel, InetSocketAddress peer) throws IOException {
        return request(CHANNEL_BIND, w -> w.uint32(ATTR_CHANNEL_NUMBER, (long) channel << 16)
                .xorAddress(ATTR_XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort()), true);
    }

    public Answer refresh(long lifetime) throws IOException {
        return request(REFRESH, w -> w.uint32(ATTR_LIFETIME, lifetime), true);
    }

    /** An authenticated (when {@code signed}) request; answers with a fresh nonce are retried once (438). */
    public Answer request(int method, Consumer<StunWriter> attrs, boolean signed) throws IOException {
        byte[] tx = new byte[12];
        random.nextBytes(tx);
        return request(method, attrs, signed, tx);
    }

    public Answer request(int method, Consumer<StunWriter> attrs, boolean signed, byte[] tx) throws IOException {
        byte[] out = new byte[2048];
        StunWriter w = new StunWriter().start(out, 0, type(method, REQUEST), tx, 0);
        attrs.accept(w);
        if (signed) {
            w.username(username);
            w.attribute(ATTR_REALM, realm.getBytes(StandardCharsets.UTF_8), 0, realm.length());
            w.attribute(ATTR_NONCE, nonce.getBytes(StandardCharsets.UTF_8), 0, nonce.length());
            w.messageIntegrity(key);
        }
        int n = w.fingerprint();
        sendRaw(out, n);
        return awaitAnswer(tx);
    }

    public Answer awaitAnswer(byte[] tx) throws IOException {
        while (true) {
            byte[] got = receiveFrame();
            if (got == null) throw new SocketTimeoutException("no answer");
            if (Turn.isChannelData(got[0])) continue;
            StunMessage m = new StunMessage().parse(got, 0, got.length);
            if (messageClass(m.type()) == INDICATION) continue;
            if (m.hasTransactionId(tx, 0)) return new Answer(got, m);
        }
    }

    public void sendIndication(InetSocketAddress peer, byte[] data) throws IOException {
        byte[] out = new byte[data.length + 100];
        byte[] tx = new byte[12];
        random.nextBytes(tx);
        int n = new StunWriter().start(out, 0, type(SEND, INDICATION), tx, 0)
                .xorAddress(ATTR_XOR_PEER_ADDRESS, peer.getAddress(), peer.getPort())
                .attribute(ATTR_DATA, data, 0, data.length).fingerprint();
        sendRaw(out, n);
    }

    public void sendChannelData(int channel, byte[] data) throws IOException {
        int padded = tcp != null ? (data.length + 3) & ~3 : data.length;
        byte[] out = new byte[4 + padded];
        out[0] = (byte) (channel >>> 8);
        out[1] = (byte) channel;
        out[2] = (byte) (data.length >>> 8);
        out[3] = (byte) data.length;
        System.arraycopy(data, 0, out, 4, data.length);
        sendRaw(out, out.length);
    }

    public void sendRaw(byte[] b, int n) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(b, n, server));
        } else {
            OutputStream o = tcp.getOutputStream();
            o.write(b, 0, n);
            o.flush();
        }
    }

    /** The next frame (a STUN message or a ChannelData frame), or null on timeout. */
    public byte[] receiveFrame() throws IOException {
        try {
            if (udp != null) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                return Arrays.copyOf(buf, p.getLength());
            }
            DataInputStream in = new DataInputStream(tcp.getInputStream());
            byte[] head = new byte[4];
            in.readFully(head);
            int len = ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
            int rest = Turn.isChannelData(head[0]) ? (len + 3) & ~3 : 16 + len;
            byte[] frame = Arrays.copyOf(head, 4 + rest);
            in.readFully(frame, 4, rest);
            return frame;
        } catch (SocketTimeoutException | java.io.EOFException e) {
            return null;                     // nothing in time, or the server closed the connection
        }
    }

    /** The next Data indication's or ChannelData's payload, skipping anything else; null on timeout. */
    public byte[] receiveData() throws IOException {
        while (true) {
            byte[] f = receiveFrame();
            if (f == null) return null;
            if (Turn.isChannelData(f[0])) {
                int len = ((f[2] & 0xFF) << 8) | (f[3] & 0xFF);
                return Arrays.copyOfRange(f, 4, 4 + len);
            }
            StunMessage m = new StunMessage().parse(f, 0, f.length);
            if (m.type() == type(DATA, INDICATION)) {
                TurnAttributes t = TurnAttributes.of(m);
                return Arrays.copyOfRange(f, t.dataOffset, t.dataOffset + t.dataLength);
            }
        }
    }

    public InetSocketAddress localAddress() {
        return udp != null ? (InetSocketAddress) udp.getLocalSocketAddress() : (InetSocketAddress) tcp.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        if (udp != null) udp.close();
        if (tcp != null) tcp.close();
    }
}
