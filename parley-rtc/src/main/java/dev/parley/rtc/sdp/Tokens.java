package dev.parley.rtc.sdp;

import java.util.ArrayList;
import java.util.List;

/** Small parsing helpers shared by the attribute records. */
final class Tokens {
    private Tokens() {
    }

    /** Splits on runs of spaces (SDP fields are space separated; tolerate doubles). */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && s.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    static int parseInt(String s, String what, int min, int max) {
        int v;
        try {
            v = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + what + " '" + s + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " out of range: " + v);
        }
        return v;
    }

    static long parseLong(String s, String what, long min, long max) {
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + what + " '" + s + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " out of range: " + v);
        }
        return v;
    }

    static int payloadType(String s) {
        return parseInt(s, "payload type", 0, 127);
    }

    static long ssrc(String s) {
        return parseLong(s, "ssrc", 0, 0xFFFF_FFFFL);
    }
}
