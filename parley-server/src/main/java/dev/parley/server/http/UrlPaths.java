package dev.parley.server.http;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of decoded paths for Location headers, with the reference's safe set. */
public final class UrlPaths {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlPaths() {
    }

    public static String escape(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_.~$&+,/:;=@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return sb.toString();
    }

    /** The raw query string of a request target, with its '?', or "" when there is none. */
    static String rawQuery(String uri) {
        int q = uri.indexOf('?');
        return q < 0 || q == uri.length() - 1 ? "" : uri.substring(q);
    }
}
