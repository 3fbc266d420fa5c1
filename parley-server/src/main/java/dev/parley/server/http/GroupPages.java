package dev.parley.server.http;

import dev.parley.protocol.Json;
import dev.parley.server.ServerContext;
import dev.parley.server.group.Group;
import dev.parley.server.group.GroupException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code /group/NAME/} pages and {@code .status} (spec A.3, A.4). */
final class GroupPages {
    private final ServerContext ctx;
    private final StaticRoot root;
    private final StaticFiles files;

    GroupPages(ServerContext ctx, StaticRoot root, StaticFiles files) {
        this.ctx = ctx;
        this.root = root;
        this.files = files;
    }

    FullHttpResponse serve(FullHttpRequest req, String path, boolean tls) throws IOException {
        String rest = path.substring("/group/".length());
        String kind = "";
        int dot = rest.indexOf("/.");
        if (dot >= 0) {                                                               // H14
            kind = rest.substring(dot + 1);
            rest = rest.substring(0, dot);
        }
        String name = PathCleaner.clean("/" + rest).replaceAll("^/+|/+$", "");        // H17
        if (name.isEmpty()) {
            return HttpResponses.notFound(root);
        }
        if (kind.equals(".status.json")) {
            return HttpResponses.redirect(HttpResponseStatus.PERMANENT_REDIRECT, "/group/" + name + "/.status");  // H15
        }
        if (!kind.isEmpty() && !kind.equals(".status")) {
            return HttpResponses.notFound(root);                                      // H16
        }
        Group g;
        try {
            g = ctx.groups().get(name);                                               // H23
        } catch (GroupException e) {
            return e.reason() == GroupException.Reason.INVALID_DESCRIPTION
                    ? HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error")
                    : HttpResponses.notFound(root);                                   // H18
        }
        if (kind.equals(".status")) {
            return status(req, g, tls);
        }
        if (!path.equals("/group/" + name + "/")) {
            return HttpResponses.redirect(HttpResponseStatus.PERMANENT_REDIRECT, "/group/" + name + "/");   // H19, H20
        }
        if (g.description().hasRedirect()) {
            return HttpResponses.redirect(HttpResponseStatus.PERMANENT_REDIRECT, g.description().redirect());   // H21
        }
        Path page = root.file("galene.html");
        if (!Files.isRegularFile(page)) {
            return HttpResponses.notFound(root);
        }
        FullHttpResponse r = files.file(req, page, "max-age=1800");                   // H22
        SecurityHeaders.add(r, g.description().authServer());
        return r;
    }

    private FullHttpResponse status(FullHttpRequest req, Group g, boolean tls) {
        String base = BaseUrl.of(tls, req.headers().get(HttpHeaderNames.HOST), ctx.config().get().proxyURL());
        byte[] body = (Json.write(g.status(base, false)) + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = HttpResponses.response(HttpResponseStatus.OK, "application/json", body);   // H24
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    FullHttpResponse publicGroups(FullHttpRequest req, boolean tls) {
        String base = BaseUrl.of(tls, req.headers().get(HttpHeaderNames.HOST), ctx.config().get().proxyURL());
        var array = Json.array();
        for (Group g : ctx.groups().publicGroups()) {
            array.add(g.status(base, false));                                          // H30, H31
        }
        byte[] body = (Json.write(array) + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = HttpResponses.response(HttpResponseStatus.OK, "application/json", body);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }
}
