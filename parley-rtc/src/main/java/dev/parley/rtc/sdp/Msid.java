package dev.parley.rtc.sdp;

import java.util.List;

/** {@code a=msid:<stream id> [<track id>]} (RFC 8830); {@code trackId} null when absent. */
public record Msid(String streamId, String trackId) {

    public static Msid parse(String value) {
        List<String> t = Tokens.split(value);
        if (t.isEmpty() || t.size() > 2) {
            throw new IllegalArgumentException("msid needs 1 or 2 fields: '" + value + "'");
        }
        return new Msid(t.get(0), t.size() > 1 ? t.get(1) : null);
    }

    public String format() {
        return trackId == null ? streamId : streamId + " " + trackId;
    }
}
