package dev.parley.rtc.ice;

import java.net.Inet6Address;
import java.net.InetAddress;

/** A local host candidate, as announced in SDP ({@code a=candidate:...}). */
public record IceCandidate(String foundation, int component, String protocol, long priority,
                           InetAddress address, int port, String type) {

    /** A host UDP candidate for RTP/RTCP-muxed component 1. */
    public static IceCandidate host(InetAddress address, int port, int localPreference) {
        // RFC 8445 §5.1.2.1: type preference 126 for host candidates
        long priority = (126L << 24) | ((long) (localPreference & 0xFFFF) << 8) | (256 - 1);
        String foundation = Integer.toUnsignedString((address.getHostAddress() + "udp").hashCode() & 0x7FFFFFFF);
        return new IceCandidate(foundation, 1, "udp", priority, address, port, "host");
    }

    /** The attribute value after {@code a=candidate:}. */
    public String toSdp() {
        String host = address instanceof Inet6Address ? rfc5952(address.getAddress()) : address.getHostAddress();
        return foundation + " " + component + " " + protocol + " " + priority + " " + host + " " + port + " typ " + type;
    }

    /** The canonical IPv6 text form (RFC 5952): lowercase, no leading zeros, longest zero run as "::". */
    static String rfc5952(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
