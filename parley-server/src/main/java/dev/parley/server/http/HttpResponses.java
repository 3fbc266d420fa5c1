package dev.parley.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.PromiseNotifier;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

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

    /**
     * Sends a response, from any thread; returns the future of its last write, which
     * completes when a streamed file has been written out entirely.
     */
    static ChannelFuture send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponse r) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        ChannelFuture f;
        if (r instanceof FileResponse file) {
            f = onEventLoop(ctx, () -> FileSender.write(ctx, file), file);
        } else {
            FullHttpResponse full = (FullHttpResponse) r;
            ByteBuf content = full.content();
            HttpUtil.setContentLength(full, content.readableBytes());
            if (req.method().equals(HttpMethod.HEAD)) {
                full = full.replace(Unpooled.EMPTY_BUFFER);
                content.release();
            }
            f = ctx.writeAndFlush(full);
        }
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return f;
    }

    /** The file writes must be issued on the loop, where a close cannot slip in between them. */
    private static ChannelFuture onEventLoop(ChannelHandlerContext ctx, Supplier<ChannelFuture> write, FileResponse r) {
        if (ctx.executor().inEventLoop()) {
            return write.get();
        }
        ChannelPromise done = ctx.newPromise();
        try {
            ctx.executor().execute(() -> write.get().addListener(new PromiseNotifier<>(done)));
        } catch (RejectedExecutionException e) {
            if (r.file() != null) {
                r.file().release();
            }
            done.setFailure(e);
        }
        return done;
    }
}
