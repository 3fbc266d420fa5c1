package dev.parley.rtc.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An ICE candidate (RFC 8839 §5.1), as carried in {@code a=candidate:} lines and in the
 * {@code candidate} field of trickled {@code ice} messages.
 *
 * <p>{@code relatedAddress}/{@code tcpType} are null and {@code relatedPort} is -1 when absent.
 * Extension pairs after the standard fields ({@code generation 0 ufrag abc network-id 1}) are kept
 * in order, so {@code parse(s).format()} gives back {@code s} without its prefix.
 */
public record Candidate(String foundation, int component, String transport, long priority, String address,
        int port, String type, String relatedAddress, int relatedPort, String tcpType, List<Extension> extensions) {

    public record Extension(String name, String value) {
    }

    public Candidate {
        extensions = List.copyOf(extensions);
    }

    /** A host UDP candidate with no extensions, as an ICE-lite server announces. */
    public static Candidate host(String foundation, int component, long priority, String address, int port) {
        return new Candidate(foundation, component, "udp", priority, address, port, "host", null, -1, null, List.of());
    }

    /** Accepts {@code a=candidate:...}, {@code candidate:...} or the bare field list. */
    public static Candidate parse(String text) {
        String s = text.trim();
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (s.startsWith("candidate:")) {
            s = s.substring("candidate:".length());
        }
        List<String> t = Tokens.split(s);
        if (t.size() < 8 || !t.get(6).equals("typ")) {
            throw new IllegalArgumentException("malformed candidate '" + text + "'");
        }
        int component = Tokens.parseInt(t.get(1), "candidate component", 1, 256);
        long priority = Tokens.parseLong(t.get(3), "candidate priority", 0, 0xFFFF_FFFFL);
        int port = Tokens.parseInt(t.get(5), "candidate port", 0, 65535);
        String raddr = null;
        int rport = -1;
        String tcpType = null;
        List<Extension> ext = new ArrayList<>();
        int i = 8;
        while (i < t.size()) {
            if (i + 1 >= t.size()) {
                throw new IllegalArgumentException("candidate extension '" + t.get(i) + "' without value");
            }
            String name = t.get(i);
            String value = t.get(i + 1);
            switch (name) {
                case "raddr" -> raddr = value;
                case "rport" -> rport = Tokens.parseInt(value, "candidate rport", 0, 65535);
                case "tcptype" -> tcpType = value;
                default -> ext.add(new Extension(name, value));
            }
            i += 2;
        }
        return new Candidate(t.get(0), component, t.get(2), priority, t.get(4), port, t.get(7), raddr, rport,
                tcpType, ext);
    }

    /** The {@code candidate:...} form used in trickle messages and (after {@code a=}) in SDP. */
    public String format() {
        StringBuilder sb = new StringBuilder("candidate:").append(foundation).append(' ').append(component)
                .append(' ').append(transport).append(' ').append(priority).append(' ').append(address)
                .append(' ').append(port).append(" typ ").append(type);
        if (relatedAddress != null) {
            sb.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            sb.append(" rport ").append(relatedPort);
        }
        if (tcpType != null) {
            sb.append(" tcptype ").append(tcpType);
        }
        for (Extension e : extensions) {
            sb.append(' ').append(e.name()).append(' ').append(e.value());
        }
        return sb.toString();
    }

    public boolean isUdp() {
        return transport.toLowerCase(Locale.ROOT).equals("udp");
    }

    /** The value of an extension such as {@code ufrag} or {@code generation}, or null. */
    public String extension(String name) {
        for (Extension e : extensions) {
            if (e.name().equals(name)) {
                return e.value();
            }
        }
        return null;
    }
}
