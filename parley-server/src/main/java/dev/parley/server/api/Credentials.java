package dev.parley.server.api;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a request's {@code Authorization} header carries (H45): HTTP Basic credentials and
 * the first {@code bearer} token of a comma-separated list.
 *
 * @param username null without Basic credentials
 * @param password "" without Basic credentials
 * @param token "" without a bearer token
 */
record Credentials(String username, String password, String token) {

    static Credentials of(FullHttpRequest req) {
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            return new Credentials(null, "", "");
        }
        String username = null;
        String password = "";
        if (header.regionMatches(true, 0, "basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon >= 0) {
                    username = decoded.substring(0, colon);
                    password = decoded.substring(colon + 1);
                }
            } catch (IllegalArgumentException e) {
                // not Basic credentials after all
            }
        }
        return new Credentials(username, password, bearer(header));
    }

    private static String bearer(String header) {
        for (String part : header.split(",")) {
            String[] words = part.strip().split(" ");
            if (words.length == 2 && words[0].equalsIgnoreCase("bearer")) {
                return words[1];
            }
        }
        return "";
    }
}
