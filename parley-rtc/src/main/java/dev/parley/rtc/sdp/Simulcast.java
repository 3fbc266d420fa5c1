package dev.parley.rtc.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code a=simulcast:send h;l recv x} (RFC 8853). Each list entry is one stream; a stream is a list
 * of alternative rids as written, possibly prefixed with {@code ~} (paused).
 */
public record Simulcast(List<List<String>> send, List<List<String>> recv) {
    public Simulcast {
        send = List.copyOf(send);
        recv = List.copyOf(recv);
    }

    public static Simulcast parse(String value) {
        List<String> t = Tokens.split(value);
        if (t.isEmpty() || t.size() % 2 != 0) {
            throw new IllegalArgumentException("simulcast needs 'send|recv <streams>' pairs: '" + value + "'");
        }
        List<List<String>> send = List.of();
        List<List<String>> recv = List.of();
        for (int i = 0; i < t.size(); i += 2) {
            List<List<String>> streams = new ArrayList<>();
            for (String stream : t.get(i + 1).split(";")) {
                if (stream.isEmpty()) {
                    throw new IllegalArgumentException("empty simulcast stream in '" + value + "'");
                }
                streams.add(List.of(stream.split(",")));
            }
            switch (t.get(i)) {
                case "send" -> send = streams;
                case "recv" -> recv = streams;
                default -> throw new IllegalArgumentException("simulcast direction '" + t.get(i) + "'");
            }
        }
        return new Simulcast(send, recv);
    }

    /** First alternative of each send stream, {@code ~} removed: the rids in layer order. */
    public List<String> sendRids() {
        return firstRids(send);
    }

    public List<String> recvRids() {
        return firstRids(recv);
    }

    private static List<String> firstRids(List<List<String>> streams) {
        List<String> out = new ArrayList<>();
        for (List<String> s : streams) {
            String r = s.get(0);
            out.add(r.startsWith("~") ? r.substring(1) : r);
        }
        return out;
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        append(sb, "send", send);
        append(sb, "recv", recv);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String dir, List<List<String>> streams) {
        if (streams.isEmpty()) {
            return;
        }
        if (!sb.isEmpty()) {
            sb.append(' ');
        }
        sb.append(dir).append(' ');
        for (int i = 0; i < streams.size(); i++) {
            if (i > 0) {
                sb.append(';');
            }
            sb.append(String.join(",", streams.get(i)));
        }
    }

    public static Simulcast ofSend(String... rids) {
        return new Simulcast(Arrays.stream(rids).map(List::of).toList(), List.of());
    }
}
