package dev.parley.server.api;

import dev.parley.protocol.Json;
import dev.parley.server.ServerContext;
import dev.parley.server.cluster.SharedWrites;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;

import static dev.parley.server.api.ApiResponses.json;
import static dev.parley.server.api.ApiResponses.options;

/**
 * The administrative API, {@code /galene-api/v0/…} (spec A.8, H44–H61): routing, CORS and
 * error answers. {@link #handle} blocks (password hashing, file I/O): call it off the event loop.
 */
public final class ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final ServerContext ctx;
    private final ApiAuth auth;
    private final GroupResource groups;
    private final UserResource users;
    private final TokenResource tokens;

    public ApiHandler(ServerContext ctx) {
        this.ctx = ctx;
        GroupFiles files = new GroupFiles(ctx.groups().groupsDir(), () -> ctx.config().get().writableGroups());
        this.auth = new ApiAuth(ctx, files);
        // One lock serialises every read-modify-write of description files and tokens.
        Object writeLock = new Object();
        this.groups = new GroupResource(files, auth, writeLock);
        this.users = new UserResource(files, auth, writeLock);
        this.tokens = new TokenResource(ctx.tokens(), files, auth, writeLock);
    }

    /** Whether the request carries a global administrator's credentials (H45 (a) or (c)); blocking. */
    public boolean isGlobalAdmin(FullHttpRequest req) {
        return auth.isGlobalAdmin(Credentials.of(req));
    }

    /** Answers a request whose cleaned, decoded path starts with {@code /galene-api/}. */
    public FullHttpResponse handle(FullHttpRequest req, String path) {
        FullHttpResponse r;
        try {
            ApiCall call = new ApiCall(req);
            boolean reads = call.is("GET") || call.is("HEAD") || call.is("OPTIONS");
            // A cluster's nodes share groups/ and data/: a write is serialised with theirs.
            try (SharedWrites.Held ignored = reads ? () -> { } : ctx.tokens().sharedWrites().acquire()) {
                r = route(call, path);
            }
        } catch (ApiException e) {
            r = ApiResponses.text(e.status(), e.body());
            e.headers().forEach(r.headers()::set);
        } catch (RuntimeException e) {
            log.warn("{} {}: {}", req.method(), req.uri(), e.toString());
            r = ApiResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");
        }
        r.headers().add(HttpHeaderNames.VARY, "Origin");                                   // H46
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && originAllowed(origin, req.headers().get(HttpHeaderNames.HOST))) {
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        return r;
    }

    private FullHttpResponse route(ApiCall c, String path) throws ApiException {
        ApiPath s = ApiPath.of(path.substring("/galene-api".length()));
        if (!s.dir().equals("/v0")) {
            throw ApiException.notFound();                                                 // H44, H50
        }
        return switch (s.kind()) {
            case ".stats" -> {
                if (!s.rest().isEmpty()) {
                    throw ApiException.notFound();
                }
                yield stats(c);
            }
            case ".groups" -> groups(c, s.rest());
            default -> throw ApiException.notFound();                                      // H50
        };
    }

    private FullHttpResponse stats(ApiCall c) throws ApiException {
        if (c.is("OPTIONS")) {
            return options("HEAD, GET");
        }
        auth.requireAdmin(c, "");
        c.requireMethod("HEAD, GET", "HEAD", "GET");
        FullHttpResponse r = json(HttpResponseStatus.OK, StatsReport.of(ctx.groups(), ctx.iceServers().builtInTurn().stats()));   // H48
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    /** Everything under {@code /galene-api/v0/.groups}. */
    private FullHttpResponse groups(ApiCall c, String pth) throws ApiException {
        ApiPath s = ApiPath.of(pth);
        String g = s.dir().isEmpty() ? "" : s.dir().substring(1).replaceAll("/+$", "");
        if (g.isEmpty() && s.kind().isEmpty()) {
            if (c.is("OPTIONS")) {
                return options("HEAD, GET");
            }
            auth.requireAdmin(c, "");
            c.requireMethod("HEAD, GET", "HEAD", "GET");
            var names = ctx.groups().groupFileNames();                                     // H49
            return json(HttpResponseStatus.OK, names.isEmpty() ? Json.MAPPER.nullNode() : Json.strings(names));
        }
        return switch (s.kind()) {
            case "" -> groups.group(c, g);
            case ".users" -> users.users(c, g, s.rest());
            case ".empty-user" -> users.specialUser(c, g, s.rest(), false);
            case ".wildcard-user" -> users.specialUser(c, g, s.rest(), true);
            case ".tokens" -> tokens.tokens(c, g, s.rest());
            default -> {
                if (s.kind().equals(".keys") && s.rest().isEmpty()) {
                    yield groups.keys(c, g);
                }
                auth.requireAdmin(c, g);                                                   // H47
                throw ApiException.notFound();
            }
        };
    }

    /** H46: the Origin's host is the request's Host, or the origin is in allowAdminOrigin. */
    private boolean originAllowed(String origin, String host) {
        try {
            URI u = URI.create(origin);
            if (u.getRawAuthority() != null && u.getRawAuthority().equalsIgnoreCase(host)) {
                return true;
            }
        } catch (IllegalArgumentException e) {
            // fall through to the configured list
        }
        return ctx.config().get().allowAdminOrigin().stream().anyMatch(o -> o.equalsIgnoreCase(origin));
    }
}
