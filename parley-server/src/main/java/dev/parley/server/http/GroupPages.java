package dev.parley.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.server.ServerContext;
import dev.parley.server.cluster.Cluster;
import dev.parley.server.cluster.Placement;
import dev.parley.server.group.Group;
import dev.parley.server.group.GroupException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@code /group/NAME/} pages and {@code .status} (spec A.3, A.4). */
final class GroupPages {
    /** H30: byte order of the UTF-8 names, which differs from String order beyond the BMP. */
    private static final Comparator<Group> BY_NAME_BYTES = (a, b) -> Arrays.compareUnsigned(
            a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8));

    private final ServerContext ctx;
    private final StaticRoot root;
    private final StaticFiles files;

    GroupPages(ServerContext ctx, StaticRoot root, StaticFiles files) {
        this.ctx = ctx;
        this.root = root;
        this.files = files;
    }

    HttpResponse serve(FullHttpRequest req, String path, boolean tls) throws IOException {
        SplitPath split = SplitPath.of(path);                                          // H14
        if (split.kind().equals(".status") && split.rest().isEmpty()) {
            return status(req, split.dir(), tls);
        }
        if (split.kind().equals(".status.json") && split.rest().isEmpty()) {
            return HttpResponses.redirect(HttpResponseStatus.PERMANENT_REDIRECT,
                    UrlPaths.escape(split.dir() + "/.status"));                          // H15
        }
        if (!split.kind().isEmpty()) {
            return HttpResponses.notFound(root);                                      // H16 (.whip is routed before)
        }
        String name = groupName(path);
        if (name.isEmpty()) {
            return HttpResponses.notFound(root);                                      // H17
        }
        Group g;
        try {
            g = ctx.groups().get(name);                                               // H18, H23
        } catch (GroupException e) {
            return failure(e);
        }
        if (!path.equals("/group/" + name + "/")) {
            return HttpResponses.redirect(HttpResponseStatus.PERMANENT_REDIRECT,
                    UrlPaths.escape("/group/" + name + "/"));                         // H19, H20
        }
        if (g.description().hasRedirect()) {
            return HttpResponses.redirect(HttpResponseStatus.PERMANENT_REDIRECT, g.description().redirect());   // H21
        }
        Path page = root.file("galene.html");
        if (!Files.isRegularFile(page)) {
            return HttpResponses.notFound(root);
        }
        HttpResponse r = files.file(req, page, "max-age=1800");                       // H22
        SecurityHeaders.add(r, g.description().authServer());
        return r;
    }

    /** H17: the part after /group/, cleaned, without outer slashes; "" if unusable. */
    static String groupName(String dir) {
        String name = dir.substring("/group/".length());
        if (name.isEmpty() || name.startsWith(".")) {
            return "";
        }
        return PathCleaner.clean("/" + name).replaceAll("^/+|/+$", "");
    }

    /** H8, H18: no such group → 404; an illegal name or an unreadable description → 500. */
    private FullHttpResponse failure(GroupException e) {
        return e.reason() == GroupException.Reason.DOES_NOT_EXIST
                ? HttpResponses.notFound(root)
                : HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");
    }

    private FullHttpResponse status(FullHttpRequest req, String dir, boolean tls) {
        if (!dir.startsWith("/group/")) {
            return HttpResponses.notFound(root);
        }
        String name = groupName(dir);
        if (name.isEmpty()) {
            return HttpResponses.notFound(root);
        }
        Group g;
        try {
            g = ctx.groups().get(name);                                               // H23
        } catch (GroupException e) {
            return failure(e);
        }
        String base = BaseUrl.of(tls, req.headers().get(HttpHeaderNames.HOST), ctx.config().get().proxyURL());
        ObjectNode st = publicStatus(g, base);
        if (st.has("endpoint") && ctx.cluster().place(name) instanceof Placement.Elsewhere e) {
            st.put("endpoint", e.webSocketEndpoint());                      // the node that serves it
        }
        byte[] body = (Json.write(st) + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = HttpResponses.response(HttpResponseStatus.OK, "application/json", body);   // H24
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    /** The unauthenticated status (H26), its location a well-formed URL whatever the group's name. */
    private static ObjectNode publicStatus(Group g, String base) {
        ObjectNode s = g.status(base, false);
        if (s.has("location")) {
            s.put("location", base + UrlPaths.escape("/group/" + g.name() + "/"));
        }
        return s;
    }

    FullHttpResponse publicGroups(FullHttpRequest req, boolean tls) {
        String base = BaseUrl.of(tls, req.headers().get(HttpHeaderNames.HOST), ctx.config().get().proxyURL());
        var array = Json.array();
        List<Group> groups = new ArrayList<>(ctx.groups().publicGroups());
        Map<String, Cluster.Remote> elsewhere = ctx.cluster().publicGroupsElsewhere();
        for (String name : elsewhere.keySet()) {
            if (ctx.groups().getLoaded(name) == null) {
                try {
                    groups.add(ctx.groups().get(name));     // public on another node, not yet loaded here
                } catch (GroupException e) {
                    // its description is gone or unreadable here: not listed
                }
            }
        }
        groups.sort(BY_NAME_BYTES);
        for (Group g : groups) {
            ObjectNode st = publicStatus(g, base);                                     // H30, H31
            Cluster.Remote remote = elsewhere.get(g.name());
            if (remote != null && st.has("endpoint")) {   // held by another node: its members, its endpoint
                st.put("endpoint", remote.endpoint());
                st.put("clientCount", remote.summary().clientCount());
                st.remove("locked");
                if (remote.summary().locked()) {
                    st.put("locked", true);
                }
            }
            array.add(st);
        }
        byte[] body = (Json.write(array) + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = HttpResponses.response(HttpResponseStatus.OK, "application/json", body);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }
}
