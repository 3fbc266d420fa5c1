package dev.parley.rtc.sdp;

import java.util.List;

/** The {@code o=} line. The session id is kept as text: browsers use up to 64-bit values. */
public record Origin(String username, String sessionId, long sessionVersion, String netType,
        String addrType, String address) {

    public static Origin parse(String value) {
        List<String> t = Tokens.split(value);
        if (t.size() != 6) {
            throw new IllegalArgumentException("o= needs 6 fields, got " + t.size());
        }
        long version;
        try {
            version = Long.parseUnsignedLong(t.get(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad session version '" + t.get(2) + "'");
        }
        return new Origin(t.get(0), t.get(1), version, t.get(3), t.get(4), t.get(5));
    }

    public String format() {
        return username + " " + sessionId + " " + Long.toUnsignedString(sessionVersion) + " " + netType
                + " " + addrType + " " + address;
    }

    public Origin withSessionVersion(long version) {
        return new Origin(username, sessionId, version, netType, addrType, address);
    }
}
