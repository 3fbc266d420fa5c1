package dev.parley.server.http;

import dev.parley.server.ServerContext;
import dev.parley.server.api.ApiHandler;
import dev.parley.server.metrics.MetricsResponses;
import dev.parley.server.cluster.Cluster;
import dev.parley.server.cluster.Placement;
import dev.parley.server.group.GroupException;
import dev.parley.server.recordings.RecordingsAnswer;
import dev.parley.server.recordings.RecordingsHandler;
import dev.parley.server.util.BlockingIo;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

/** Dispatches HTTP requests by path prefix (H4) after cleaning and canonical-host checks. */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final ServerContext ctx;
    private final StaticRoot root;
    private final StaticFiles staticFiles;
    private final GroupPages groupPages;
    private final WebSocketEndpoint webSocket;
    private final ApiHandler api;
    private final RecordingsHandler recordings;
    private final WhipEndpoint whip;
    /** Pipelined requests that arrived while one was being answered; event loop only. */
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;
    private static final int MAX_PIPELINED = 64;
    /** Shared by every connection; threads exist only while requests need them. */
    private static final ThreadPoolExecutor handlers = BlockingIo.pool("http", 64, 1024);

    HttpRouter(ServerContext ctx, StaticRoot root, ApiHandler api, RecordingsHandler recordings, WhipEndpoint whip,
               WebSocketEndpoint webSocket) {
        this.ctx = ctx;
        this.root = root;
        this.staticFiles = new StaticFiles(root);
        this.groupPages = new GroupPages(ctx, root, staticFiles);
        this.webSocket = webSocket;
        this.api = api;
        this.recordings = recordings;
        this.whip = whip;
    }

    /**
     * Requests are answered one at a time, in order: while one is being answered (off the
     * loop, then its body streamed), later pipelined requests wait here and reading pauses.
     */
    @Override
    protected void channelRead0(ChannelHandlerContext ch, FullHttpRequest req) {
        if (busy) {
            if (waiting.size() >= MAX_PIPELINED) {
                ch.close();
                return;
            }
            waiting.add(req.retain());
            return;
        }
        dispatch(ch, req);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ch) throws Exception {
        FullHttpRequest r;
        while ((r = waiting.poll()) != null) {
            r.release();
        }
        super.channelInactive(ch);
    }

    private void dispatch(ChannelHandlerContext ch, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            HttpResponses.send(ch, req, HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "Bad Request"));
            return;
        }
        boolean tls = ch.pipeline().get(SslHandler.class) != null;
        String path;
        try {
            path = new QueryStringDecoder(originForm(req.uri())).path();
        } catch (IllegalArgumentException e) {
            // a malformed %-escape
            HttpResponses.send(ch, req, HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "Bad Request"));
            return;
        }
        if (!path.startsWith("/")) {
            // e.g. the asterisk form, which only makes sense for a proxy
            HttpResponses.send(ch, req, HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "Bad Request"));
            return;
        }
        if (path.indexOf('\0') >= 0) {
            // No file, group or user can be named with a NUL, so the path names nothing here. The
            // reference answers 500 (opening such a file fails with EINVAL), which misreports a
            // client's mistake as a server fault.
            HttpResponses.send(ch, req, HttpResponses.notFound(root));
            return;
        }
        if (path.equals("/ws")) {
            try {
                webSocket.upgrade(ch, req, tls);
            } catch (RuntimeException e) {
                log.warn("{} {}: {}", req.method(), req.uri(), e.toString());
                HttpResponses.send(ch, req, HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error"));
            }
            return;
        }
        // Everything else may touch the disk (files, group descriptions) or check passwords.
        handleBlocking(ch, req, () -> answer(ch, req, path, tls));
    }

    private HttpResponse answer(ChannelHandlerContext ch, FullHttpRequest req, String path, boolean tls) throws Exception {
        if (path.equals("/metrics") && ctx.metrics().onMainPort()) {
            return MetricsResponses.answer(req, ctx.metrics(), api.isGlobalAdmin(req));      // -metrics
        }
        if (PathCleaner.clean(path).equals(path)) {
            if (path.startsWith("/galene-api/")) {
                return api.handle(req, path);
            }
            if (path.startsWith("/recordings/") && canonicalHostRedirect(req, path) == null) {
                return recordings(req, path);
            }
            SplitPath split = SplitPath.of(path);
            if (path.startsWith("/group/") && split.kind().equals(".whip") && canonicalHostRedirect(req, path) == null) {
                String name = GroupPages.groupName(split.dir());
                HttpResponse elsewhere = clusterWhip(req, name, split.rest());
                if (elsewhere != null) {
                    return elsewhere;
                }
                var remote = ch.channel().remoteAddress() instanceof java.net.InetSocketAddress a ? a : null;
                return whip.handle(req, name, split.rest(), remote, HttpResponses.notFound(root));
            }
        }
        return route(req, path, tls);
    }

    /**
     * In a cluster, a WHIP sender's POST goes where the group is served: 307 to the same path
     * on the owner (WHIP clients follow it), 503 while that cannot be known. Null: handle here.
     */
    private HttpResponse clusterWhip(FullHttpRequest req, String name, String rest) {
        if (ctx.cluster() == Cluster.SINGLE || !rest.isEmpty() || !req.method().equals(HttpMethod.POST)) {
            return null;
        }
        try {
            ctx.groups().get(name);
        } catch (GroupException e) {
            return null;                                    // the WHIP endpoint reports it
        }
        return switch (ctx.cluster().placeForJoin(name)) {
            case Placement.Here h -> null;
            case Placement.Elsewhere e -> HttpResponses.redirect(HttpResponseStatus.TEMPORARY_REDIRECT,
                    e.nodeUrl() + UrlPaths.escape("/group/" + name + "/.whip"));
            case Placement.Unavailable u -> HttpResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, u.reason());
        };
    }

    /** The path and query of an absolute-form target ("http://host/p?q" → "/p?q"); others unchanged. */
    static String originForm(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme <= 0 || uri.startsWith("/")) {
            return uri;
        }
        int slash = uri.indexOf('/', scheme + 3);
        int query = uri.indexOf('?', scheme + 3);
        if (slash < 0 || query >= 0 && query < slash) {
            return "/" + (query < 0 ? "" : uri.substring(query));
        }
        return uri.substring(slash);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ch, Throwable cause) {
        // e.g. a client that went away in the middle of a request body
        log.debug("{}: {}", ch.channel().remoteAddress(), cause.toString());
        ch.close();
    }

    /** What answers one request; it may block. */
    @FunctionalInterface
    private interface Handler {
        HttpResponse answer() throws Exception;
    }

    /**
     * Runs the handler on a platform thread of a bounded pool, so that no file, password
     * check or group load ever blocks the event loop, and a hung disk cannot pin the virtual
     * threads' carriers (see {@link BlockingIo}); when the pool is full the answer is 503.
     * Reading pauses until the response (a streamed file included) has been written out,
     * which also bounds each connection to one open file.
     */
    private void handleBlocking(ChannelHandlerContext ch, FullHttpRequest req, Handler handler) {
        busy = true;
        req.retain();
        ch.channel().config().setAutoRead(false);
        Runnable task = () -> {
            try {
                HttpResponse r;
                try {
                    r = handler.answer();
                } catch (Exception e) {
                    log.warn("{} {}: {}", req.method(), req.uri(), e.toString());
                    r = HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");
                } catch (Error e) {
                    ch.close();                     // never leave the connection waiting with reading off
                    throw e;
                }
                HttpResponses.send(ch, req, r).addListener(f -> next(ch));
            } finally {
                req.release();
            }
        };
        try {
            handlers.execute(task);
        } catch (RejectedExecutionException e) {
            HttpResponses.send(ch, req, HttpResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "Server busy"))
                    .addListener(f -> next(ch));
            req.release();
        }
    }

    /** On the loop, once a response is out: the next pipelined request, or resume reading. */
    private void next(ChannelHandlerContext ch) {
        busy = false;
        FullHttpRequest r;
        while (!busy && (r = waiting.poll()) != null) {
            try {
                dispatch(ch, r);
            } finally {
                r.release();
            }
        }
        if (!busy && ch.channel().isActive()) {
            ch.channel().config().setAutoRead(true);
        }
    }

    /** Spec A.7; files are served like static files but without the H6 headers. */
    private HttpResponse recordings(FullHttpRequest req, String path) {
        RecordingsAnswer answer = recordings.handle(req, path, () -> HttpResponses.notFound(root));
        return switch (answer) {
            case RecordingsAnswer.Ready ready -> ready.response();
            case RecordingsAnswer.ServeFile file -> {
                try {
                    yield staticFiles.file(req, file.file(), file.cacheControl());
                } catch (IOException e) {
                    yield HttpResponses.notFound(root);
                }
            }
        };
    }

    private HttpResponse route(FullHttpRequest req, String path, boolean tls) throws Exception {
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
            return recordings(req, path);
        }
        HttpResponse r = staticFiles.serve(req, path);
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
