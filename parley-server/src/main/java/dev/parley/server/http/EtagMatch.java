package dev.parley.server.http;

/** Strong ETag comparison against an If-Match / If-None-Match list (H61). */
final class EtagMatch {
    private EtagMatch() {
    }

    static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") && etag != null || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
