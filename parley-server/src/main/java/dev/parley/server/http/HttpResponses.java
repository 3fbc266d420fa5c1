package dev.parley.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Building and sending HTTP responses; every handler goes through here. */
final class HttpResponses {
    private HttpResponses() {
    }

    static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        if (contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        return r;
    }

    static FullHttpResponse text(HttpResponseStatus status, String text) {
        return response(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static FullHttpResponse redirect(HttpResponseStatus status, String location) {
        FullHttpResponse r = response(status, null, null);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        return r;
    }

    /** H7: the static root's 404.html, or a minimal page. */
    static FullHttpResponse notFound(StaticRoot root) {
        byte[] body;
        try {
            Path p = root.file("404.html");
            body = Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        } catch (Exception e) {
            body = null;
        }
        if (body == null) {
            body = "<p>Not found</p>\n".getBytes(StandardCharsets.UTF_8);
        }
        return response(HttpResponseStatus.NOT_FOUND, "text/html; charset=utf-8", body);
    }

    static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r) {
        ByteBuf content = r.content();
        HttpUtil.setContentLength(r, content.readableBytes());
        if (req.method().equals(HttpMethod.HEAD)) {
            r = r.replace(Unpooled.EMPTY_BUFFER);
            HttpUtil.setContentLength(r, content.readableBytes());
            content.release();
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
