package dev.parley.server.http;

import dev.parley.server.ServerContext;
import dev.parley.server.api.ApiHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches HTTP requests by path prefix (H4) after cleaning and canonical-host checks. */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final ServerContext ctx;
    private final StaticRoot root;
    private final StaticFiles staticFiles;
    private final GroupPages groupPages;
    private final WebSocketEndpoint webSocket;
    private final ApiHandler api;

    HttpRouter(ServerContext ctx, StaticRoot root, ApiHandler api) {
        this.ctx = ctx;
        this.root = root;
        this.staticFiles = new StaticFiles(root);
        this.groupPages = new GroupPages(ctx, root, staticFiles);
        this.webSocket = new WebSocketEndpoint(ctx);
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ch, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            HttpResponses.send(ch, req, HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "Bad Request"));
            return;
        }
        boolean tls = ch.pipeline().get(SslHandler.class) != null;
        FullHttpResponse r;
        try {
            String path = new QueryStringDecoder(req.uri()).path();
            if (path.equals("/ws")) {
                webSocket.upgrade(ch, req, tls);
                return;
            }
            if (path.startsWith("/galene-api/") && PathCleaner.clean(path).equals(path)) {
                handleApi(ch, req, path);
                return;
            }
            r = route(req, path, tls);
        } catch (Exception e) {
            log.warn("{} {}: {}", req.method(), req.uri(), e.toString());
            r = HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");
        }
        HttpResponses.send(ch, req, r);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ch, Throwable cause) {
        // e.g. a client that went away in the middle of a request body
        log.debug("{}: {}", ch.channel().remoteAddress(), cause.toString());
        ch.close();
    }

    /**
     * The API checks passwords and writes files, so it runs on a virtual thread. Reading
     * pauses meanwhile, so that pipelined responses stay in order.
     */
    private void handleApi(ChannelHandlerContext ch, FullHttpRequest req, String path) {
        req.retain();
        ch.channel().config().setAutoRead(false);
        Thread.ofVirtual().name("api").start(() -> {
            try {
                HttpResponses.send(ch, req, api.handle(req, path));
            } finally {
                req.release();
                ch.channel().config().setAutoRead(true);
            }
        });
    }

    private FullHttpResponse route(FullHttpRequest req, String path, boolean tls) throws Exception {
        String query = UrlPaths.rawQuery(req.uri());
        String cleaned = PathCleaner.clean(path);
        if (!cleaned.equals(path)) {
            return HttpResponses.redirect(HttpResponseStatus.MOVED_PERMANENTLY, UrlPaths.escape(cleaned) + query);   // H4
        }
        if (path.equals("/group") || path.equals("/galene-api")) {
            return HttpResponses.redirect(HttpResponseStatus.MOVED_PERMANENTLY, path + "/" + query);                // H4
        }
        if (path.equals("/recordings")) {
            return HttpResponses.redirect(HttpResponseStatus.PERMANENT_REDIRECT, "/recordings/");                   // H36
        }
        // H5: these three are never sent to the canonical host.
        if (path.equals("/public-groups.json")) {
            return groupPages.publicGroups(req, tls);
        }
        if (path.startsWith("/galene-api/")) {
            return HttpResponses.notFound(root);
        }
        FullHttpResponse canonical = canonicalHostRedirect(req, path);
        if (canonical != null) {
            return canonical;                                                                   // H5
        }
        if (path.startsWith("/group/")) {
            return groupPages.serve(req, path, tls);
        }
        if (path.startsWith("/recordings/")) {
            return HttpResponses.notFound(root);
        }
        FullHttpResponse r = staticFiles.serve(req, path);
        SecurityHeaders.add(r, null);                                                           // H6
        return r;
    }

    private FullHttpResponse canonicalHostRedirect(FullHttpRequest req, String path) {
        String canonical = ctx.config().get().canonicalHost();
        String host = req.headers().get(HttpHeaderNames.HOST);
        if (canonical == null || host != null && host.equalsIgnoreCase(canonical)) {
            return null;
        }
        // The query string is dropped (H5).
        return HttpResponses.redirect(HttpResponseStatus.MOVED_PERMANENTLY, "https://" + canonical + UrlPaths.escape(path));
    }
}
