package dev.parley.server.http;

import io.netty.handler.codec.http.HttpResponse;

/** The headers of H6, on every static file and group page. */
final class SecurityHeaders {
    private SecurityHeaders() {
    }

    static void add(HttpResponse r, String authServer) {
        String connect = (authServer == null || authServer.isEmpty() ? "" : authServer + " ") + "ws: wss: 'self'";
        r.headers().set("Content-Security-Policy", "connect-src " + connect
                + "; img-src 'self'; media-src blob: 'self'; script-src 'unsafe-eval' 'self'; default-src 'self'");
        r.headers().set("Referrer-Policy", "no-referrer");
        r.headers().set("X-Content-Type-Options", "nosniff");
    }
}
