package dev.parley.rtc.sdp;

/**
 * {@code a=ssrc:<ssrc> <attribute>[:<value>]} (RFC 5576), e.g. {@code cname:xyz} or
 * {@code msid:stream track}. {@code value} is null when absent.
 */
public record SsrcAttribute(long ssrc, String attribute, String value) {

    public static SsrcAttribute parse(String value) {
        int sp = value.indexOf(' ');
        if (sp < 0) {
            throw new IllegalArgumentException("ssrc without attribute: '" + value + "'");
        }
        long ssrc = Tokens.ssrc(value.substring(0, sp));
        String rest = value.substring(sp + 1);
        int colon = rest.indexOf(':');
        if (rest.isEmpty() || colon == 0) {
            throw new IllegalArgumentException("ssrc without attribute: '" + value + "'");
        }
        return colon < 0 ? new SsrcAttribute(ssrc, rest, null)
                : new SsrcAttribute(ssrc, rest.substring(0, colon), rest.substring(colon + 1));
    }

    public String format() {
        return ssrc + " " + attribute + (value == null ? "" : ":" + value);
    }
}
