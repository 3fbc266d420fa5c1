package dev.parley.rtc.sdp;

/** {@code a=rtpmap:<pt> <encoding>/<clock>[/<channels>]}; {@code channels} is 0 when absent. */
public record RtpMap(int payloadType, String encoding, int clockRate, int channels) {

    public static RtpMap parse(String value) {
        int sp = value.indexOf(' ');
        if (sp < 0) {
            throw new IllegalArgumentException("rtpmap without encoding: '" + value + "'");
        }
        int pt = Tokens.payloadType(value.substring(0, sp));
        String[] parts = value.substring(sp + 1).trim().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("bad rtpmap encoding '" + value + "'");
        }
        int clock = Tokens.parseInt(parts[1], "clock rate", 1, Integer.MAX_VALUE);
        int channels = parts.length == 3 ? Tokens.parseInt(parts[2], "channel count", 1, 255) : 0;
        return new RtpMap(pt, parts[0], clock, channels);
    }

    public String format() {
        return payloadType + " " + encoding + "/" + clockRate + (channels > 0 ? "/" + channels : "");
    }
}
