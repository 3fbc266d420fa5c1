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
        String host = address instanceof Inet6Address ? stripScope(address.getHostAddress()) : address.getHostAddress();
        return foundation + " " + component + " " + protocol + " " + priority + " " + host + " " + port + " typ " + type;
    }

    private static String stripScope(String h) {
        int i = h.indexOf('%');
        return i < 0 ? h : h.substring(0, i);
    }
}
