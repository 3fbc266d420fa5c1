package dev.parley.server.api;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/** If-Match and If-None-Match against a resource's ETag (H61); null means the resource does not exist. */
public final class Preconditions {
    private Preconditions() {
    }

    /** Returns the status that ends the request (412 or 304), or null to go on. */
    public static HttpResponseStatus check(FullHttpRequest req, String etag) {
        String im = req.headers().get(HttpHeaderNames.IF_MATCH);
        if (im != null && !im.isEmpty() && !matches(etag, im)) {
            return HttpResponseStatus.PRECONDITION_FAILED;
        }
        String inm = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        if (inm != null && !inm.isEmpty() && matches(etag, inm)) {
            return req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD)
                    ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.PRECONDITION_FAILED;
        }
        return null;
    }

    /** Strong comparison against a comma-separated list; {@code *} matches any existing resource. */
    public static boolean matches(String etag, String header) {
        if (header.equals(etag)) {
            return true;
        }
        int i = 0;
        int n = header.length();
        while (i < n) {
            char c = header.charAt(i);
            if (c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n') {
                i++;
                continue;
            }
            if (c == '*') {
                return etag != null;
            }
            int start = i;
            if (header.startsWith("W/", i)) {
                i += 2;
            }
            if (i >= n || header.charAt(i) != '"') {
                return false;
            }
            int close = header.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            if (header.substring(start, close + 1).equals(etag)) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }
}
