package dev.parley.rtc.turn;

import dev.parley.rtc.stun.StunFormatException;
import dev.parley.rtc.stun.StunMessage;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.parley.rtc.turn.Turn.*;

/**
 * The TURN attributes of one request or indication, read from a message that {@link StunMessage#parse}
 * has already framed. Attributes after MESSAGE-INTEGRITY are ignored, as RFC 8489 §14.5 says. Values of
 * the wrong size raise {@link StunFormatException}: the caller answers 400.
 *
 * <p>Control-plane only (allocates); the relay path never parses attributes except for Send indications.
 */
final class TurnAttributes {
    String username;
    String realm;
    String nonce;
    long lifetime = -1;
    int requestedTransport = -1;
    int channelNumber = -1;
    int requestedFamily = -1;
    boolean evenPort;
    boolean dontFragment;
    boolean reservationToken;
    int dataOffset = -1;
    int dataLength;
    /** XOR-PEER-ADDRESS values; {@code null} entries stand for an IPv6 peer (which this server does not relay to). */
    final List<InetSocketAddress> peers = new ArrayList<>(1);
    boolean ipv6Peer;
    final List<Integer> unknownRequired = new ArrayList<>(0);

    static TurnAttributes of(StunMessage m) {
        TurnAttributes a = new TurnAttributes();
        byte[] b = m.buffer();
        int p = m.offset() + 20;
        int end = m.offset() + m.length();
        while (p + 4 <= end) {
            int type = u16(b, p);
            int len = u16(b, p + 2);
            int v = p + 4;
            if (type == ATTR_MESSAGE_INTEGRITY || type == ATTR_FINGERPRINT) break;
            switch (type) {
                case ATTR_USERNAME -> a.username = text(b, v, len);
                case ATTR_REALM -> a.realm = text(b, v, len);
                case ATTR_NONCE -> a.nonce = text(b, v, len);
                case ATTR_LIFETIME -> a.lifetime = u32(b, v, len);
                case ATTR_REQUESTED_TRANSPORT -> {
                    size(len, 4, type);
                    a.requestedTransport = b[v] & 0xFF;
                }
                case ATTR_CHANNEL_NUMBER -> {
                    size(len, 4, type);
                    a.channelNumber = u16(b, v);
                }
                case ATTR_REQUESTED_ADDRESS_FAMILY -> {
                    size(len, 4, type);
                    a.requestedFamily = b[v] & 0xFF;
                }
                case ATTR_EVEN_PORT -> {
                    size(len, 1, type);
                    a.evenPort = true;
                }
                case ATTR_DONT_FRAGMENT -> a.dontFragment = true;
                case ATTR_RESERVATION_TOKEN -> a.reservationToken = true;
                case ATTR_DATA -> {
                    a.dataOffset = v;
                    a.dataLength = len;
                }
                case ATTR_XOR_PEER_ADDRESS -> a.peer(b, v, len, m.offset());
                default -> {
                    if (type < 0x8000 && type != ATTR_ERROR_CODE && type != ATTR_UNKNOWN_ATTRIBUTES
                            && type != ATTR_XOR_MAPPED_ADDRESS && type != ATTR_XOR_RELAYED_ADDRESS) {
                        a.unknownRequired.add(type);
                    }
                }
            }
            p = v + ((len + 3) & ~3);
        }
        return a;
    }

    private void peer(byte[] b, int v, int len, int msgOff) {
        if (len < 4) throw new StunFormatException("XOR-PEER-ADDRESS too short");
        int family = b[v + 1] & 0xFF;
        if (family == 0x02 && len == 20) {
            ipv6Peer = true;
            return;
        }
        if (family != FAMILY_IPV4 || len != 8) throw new StunFormatException("XOR-PEER-ADDRESS family " + family + " length " + len);
        int port = u16(b, v + 2) ^ 0x2112;
        byte[] ip = new byte[4];
        for (int i = 0; i < 4; i++) ip[i] = (byte) (b[v + 4 + i] ^ b[msgOff + 4 + i]); // key: the magic cookie
        try {
            peers.add(new InetSocketAddress(InetAddress.getByAddress(ip), port));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static void size(int len, int want, int type) {
        if (len != want) throw new StunFormatException("attribute 0x" + Integer.toHexString(type) + " length " + len);
    }

    private static long u32(byte[] b, int v, int len) {
        size(len, 4, ATTR_LIFETIME);
        return ((long) u16(b, v) << 16) | u16(b, v + 2);
    }

    private static String text(byte[] b, int v, int len) {
        if (len > 763) throw new StunFormatException("text attribute of " + len + " bytes");
        return new String(b, v, len, StandardCharsets.UTF_8);
    }

    static int u16(byte[] b, int o) {
        return ((b[o] & 0xFF) << 8) | (b[o + 1] & 0xFF);
    }
}
