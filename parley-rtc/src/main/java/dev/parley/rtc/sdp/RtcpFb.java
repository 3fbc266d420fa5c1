package dev.parley.rtc.sdp;

/**
 * {@code a=rtcp-fb:<pt|*> <type> [<parameter>]}, e.g. {@code nack}, {@code nack pli},
 * {@code ccm fir}, {@code goog-remb}. {@code payloadType} is {@link #WILDCARD} for {@code *};
 * {@code parameter} is null when absent.
 */
public record RtcpFb(int payloadType, String type, String parameter) {
    public static final int WILDCARD = -1;

    public static RtcpFb parse(String value) {
        var t = Tokens.split(value);
        if (t.size() < 2) {
            throw new IllegalArgumentException("rtcp-fb needs a type: '" + value + "'");
        }
        int pt = t.get(0).equals("*") ? WILDCARD : Tokens.payloadType(t.get(0));
        String param = t.size() > 2 ? String.join(" ", t.subList(2, t.size())) : null;
        return new RtcpFb(pt, t.get(1), param);
    }

    public String format() {
        return (payloadType == WILDCARD ? "*" : Integer.toString(payloadType)) + " " + feedback();
    }

    /** Type and parameter as one string: {@code "nack pli"}, {@code "goog-remb"}. */
    public String feedback() {
        return parameter == null ? type : type + " " + parameter;
    }
}
