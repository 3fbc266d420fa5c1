package dev.parley.rtc.sdp;

import java.util.List;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]} (RFC 8285). {@code direction} and
 * {@code attributes} are null when absent.
 */
public record ExtMap(int id, String direction, String uri, String attributes) {
    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    /** Transport-wide sequence numbers (draft-holmer-rmcat-transport-wide-cc-extensions-01). */
    public static final String TRANSPORT_WIDE_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    public static ExtMap parse(String value) {
        List<String> t = Tokens.split(value);
        if (t.size() < 2) {
            throw new IllegalArgumentException("extmap needs an id and a URI: '" + value + "'");
        }
        String idPart = t.get(0);
        String dir = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            dir = idPart.substring(slash + 1);
            idPart = idPart.substring(0, slash);
        }
        // 1-14 one-byte form, up to 255 with the two-byte form (RFC 8285 §5)
        int id = Tokens.parseInt(idPart, "extmap id", 1, 255);
        String attrs = t.size() > 2 ? String.join(" ", t.subList(2, t.size())) : null;
        return new ExtMap(id, dir, t.get(1), attrs);
    }

    public String format() {
        return id + (direction == null ? "" : "/" + direction) + " " + uri
                + (attributes == null ? "" : " " + attributes);
    }
}
