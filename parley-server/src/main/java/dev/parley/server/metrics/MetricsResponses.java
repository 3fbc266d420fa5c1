package dev.parley.server.metrics;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** The answer to a request for {@code /metrics}, on the main port or on the metrics listener. */
public final class MetricsResponses {
    /** The Basic realm of the main port's challenge. */
    static final String REALM = "/metrics";

    private MetricsResponses() {
    }

    /**
     * 200 with the Prometheus text for GET and HEAD when {@code authorised}, else 401 with a
     * Basic challenge (a scraper then sends the administrator's credentials), 405 for other methods.
     */
    public static FullHttpResponse answer(HttpRequest req, ServerMetrics metrics, boolean authorised) {
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return r;
        }
        if (!authorised) {
            FullHttpResponse r = text(HttpResponseStatus.UNAUTHORIZED, "an administrator's credentials are needed");
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "basic realm=\"" + REALM + "\"");
            return r;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(metrics.scrape().getBytes(StandardCharsets.UTF_8)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, ServerMetrics.CONTENT_TYPE);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    static FullHttpResponse text(HttpResponseStatus status, String text) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer((text + "\n").getBytes(StandardCharsets.UTF_8)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return r;
    }
}
