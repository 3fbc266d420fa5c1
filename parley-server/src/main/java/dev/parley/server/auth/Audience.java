package dev.parley.server.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * JWT audience matching (D15). Each entry is a URL whose host (with port) must equal the canonical
 * host when one is configured, and whose path must name the group. URLs are split by hand rather
 * than with {@link java.net.URI}, which refuses characters (such as spaces) that group names and
 * the reference's lenient URL parser allow.
 */
final class Audience {
    private Audience() {
    }

    /** @param canonicalHost compared case-insensitively when non-null and non-empty */
    static boolean matches(List<String> audience, String group, boolean includeSubgroups, String canonicalHost) {
        if (audience == null) {
            return false;
        }
        for (String entry : audience) {
            Url url = Url.parse(entry);
            if (url == null) {
                continue;
            }
            if (canonicalHost != null && !canonicalHost.isEmpty() && !canonicalHost.equalsIgnoreCase(url.host())) {
                continue;
            }
            if (pathMatches(url.path(), group, includeSubgroups)) {
                return true;
            }
        }
        return false;
    }

    /** Without subgroups the path is exactly {@code /group/<name>/}; with them, a directory prefix of it. */
    static boolean pathMatches(String path, String group, boolean includeSubgroups) {
        String exact = "/group/" + group + "/";
        if (!includeSubgroups) {
            return path.equals(exact);
        }
        return path.startsWith("/group/") && path.endsWith("/") && exact.startsWith(path);
    }

    /** The two parts of a URL that matter here: host (with port, without user info) and decoded path. */
    record Url(String host, String path) {
        /** Null when the entry is not a usable URL (e.g. a bad percent escape). */
        static Url parse(String s) {
            int end = firstOf(s, "?#", 0);
            String rest = s.substring(0, end);
            int schemeEnd = schemeEnd(rest);
            if (schemeEnd >= 0) {
                rest = rest.substring(schemeEnd + 1);
            }
            String host = "";
            if (rest.startsWith("//")) {
                int slash = rest.indexOf('/', 2);
                String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
                rest = slash < 0 ? "" : rest.substring(slash);
                int at = authority.lastIndexOf('@');
                host = at < 0 ? authority : authority.substring(at + 1);
            }
            String path = percentDecode(rest);
            return path == null ? null : new Url(host, path);
        }

        /** The index of the ':' ending a scheme (letter, then letters, digits, '+', '-', '.'), or -1. */
        private static int schemeEnd(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == ':') {
                    return i > 0 ? i : -1;
                }
                boolean ok = Character.isLetter(c) && c < 128
                        || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.');
                if (!ok) {
                    return -1;
                }
            }
            return -1;
        }

        private static int firstOf(String s, String chars, int from) {
            for (int i = from; i < s.length(); i++) {
                if (chars.indexOf(s.charAt(i)) >= 0) {
                    return i;
                }
            }
            return s.length();
        }

        private static String percentDecode(String s) {
            if (s.indexOf('%') < 0) {
                return s;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '%') {
                    out.write(bytes[i]);
                    continue;
                }
                if (i + 2 >= bytes.length) {
                    return null;
                }
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
