package dev.parley.rtc.sdp;

import java.util.List;

/** {@code a=rid:<id> <send|recv> [<restrictions>]} (RFC 8851); restrictions null when absent. */
public record Rid(String id, String direction, String restrictions) {

    public static Rid parse(String value) {
        List<String> t = Tokens.split(value);
        if (t.size() < 2 || !(t.get(1).equals("send") || t.get(1).equals("recv"))) {
            throw new IllegalArgumentException("rid needs an id and send|recv: '" + value + "'");
        }
        String r = t.size() > 2 ? String.join(" ", t.subList(2, t.size())) : null;
        return new Rid(t.get(0), t.get(1), r);
    }

    public String format() {
        return id + " " + direction + (restrictions == null ? "" : " " + restrictions);
    }
}
