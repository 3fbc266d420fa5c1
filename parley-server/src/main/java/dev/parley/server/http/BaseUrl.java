package dev.parley.server.http;

import java.net.URI;

/** The public base URL of a request (H27): request scheme and Host, overridden by proxyURL. */
final class BaseUrl {
    private BaseUrl() {
    }

    static String of(boolean tls, String host, String proxyURL) {
        String scheme = tls ? "https" : "http";
        String h = host == null ? "" : host;
        String path = "";
        if (proxyURL != null && !proxyURL.isEmpty()) {
            try {
                URI u = URI.create(proxyURL);
                if (u.getScheme() != null) {
                    scheme = u.getScheme();
                }
                if (u.getRawAuthority() != null) {
                    h = u.getRawAuthority();
                }
                if (u.getRawPath() != null) {
                    path = u.getRawPath().replaceAll("/+$", "");
                }
            } catch (IllegalArgumentException e) {
                // an unusable proxyURL is ignored
            }
        }
        return scheme + "://" + h + path;
    }
}
