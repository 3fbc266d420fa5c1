package dev.parley.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.server.ServerContext;
import dev.parley.server.auth.Authoriser;
import dev.parley.server.auth.InvalidDescriptionException;
import dev.parley.server.auth.Password;
import dev.parley.server.auth.Permissions;
import dev.parley.server.auth.StatefulToken;
import dev.parley.server.auth.TokenStore;
import dev.parley.server.auth.UnknownPermissionException;
import dev.parley.server.auth.UserDescription;
import dev.parley.server.group.GroupDescription;
import dev.parley.server.util.FileStamp;
import dev.parley.server.util.Ids;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The administrative API, {@code /galene-api/v0/…} (spec A.8, H44–H61). {@link #handle}
 * blocks (password hashing, file I/O): call it off the event loop.
 */
public final class ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final Set<String> FORBIDDEN_IN_BODY = Set.of("users", "wildcard-user", "authKeys", "op",
            "presenter", "other");

    private final ServerContext ctx;
    private final GroupFiles files;
    private final ApiAuth auth;
    /** Serialises read-modify-write of description files and tokens. */
    private final Object writeLock = new Object();

    public ApiHandler(ServerContext ctx) {
        this.ctx = ctx;
        this.files = new GroupFiles(ctx.groups().groupsDir(), () -> ctx.config().get().writableGroups());
        this.auth = new ApiAuth(ctx, files);
    }

    /** Answers a request whose cleaned path starts with {@code /galene-api/}. */
    public FullHttpResponse handle(FullHttpRequest req, String path) {
        FullHttpResponse r;
        try {
            r = route(new Call(req), path);
        } catch (ApiException e) {
            r = text(e.status(), e.body());
            e.headers().forEach(r.headers()::set);
        } catch (RuntimeException e) {
            log.warn("{} {}: {}", req.method(), req.uri(), e.toString());
            r = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");
        }
        r.headers().add(HttpHeaderNames.VARY, "Origin");                                   // H46
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && originAllowed(origin, req.headers().get(HttpHeaderNames.HOST))) {
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        return r;
    }

    /** The request, its credentials (parsed once) and its method. */
    private static final class Call {
        final FullHttpRequest req;
        final HttpMethod method;
        private Credentials credentials;

        Call(FullHttpRequest req) {
            this.req = req;
            this.method = req.method();
        }

        Credentials credentials() {
            if (credentials == null) {
                credentials = Credentials.of(req);
            }
            return credentials;
        }

        boolean isRead() {
            return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        }

        boolean is(String m) {
            return method.name().equals(m);
        }
    }

    private record Split(String dir, String kind, String rest) {
        static Split of(String path) {
            int i = path.indexOf("/.");
            if (i < 0) {
                return new Split(path, "", "");
            }
            int j = path.indexOf('/', i + 1);
            return j < 0 ? new Split(path.substring(0, i), path.substring(i + 1), "")
                    : new Split(path.substring(0, i), path.substring(i + 1, j), path.substring(j));
        }
    }

    private FullHttpResponse route(Call c, String path) throws ApiException {
        Split s = Split.of(path.substring("/galene-api".length()));
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

    // --- global routes ---

    private FullHttpResponse stats(Call c) throws ApiException {
        if (c.is("OPTIONS")) {
            return options("HEAD, GET");
        }
        requireAdmin(c, "");
        requireMethod(c, "HEAD, GET", "HEAD", "GET");
        FullHttpResponse r = json(HttpResponseStatus.OK, StatsReport.of(ctx.groups()));   // H48
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    private FullHttpResponse groups(Call c, String pth) throws ApiException {
        Split s = Split.of(pth);
        String g = s.dir().isEmpty() ? "" : s.dir().substring(1).replaceAll("/+$", "");
        if (g.isEmpty() && s.kind().isEmpty()) {
            if (c.is("OPTIONS")) {
                return options("HEAD, GET");
            }
            requireAdmin(c, "");
            requireMethod(c, "HEAD, GET", "HEAD", "GET");
            var names = ctx.groups().groupFileNames();                                     // H49
            return json(HttpResponseStatus.OK, names.isEmpty() ? Json.MAPPER.nullNode() : Json.strings(names));
        }
        return switch (s.kind()) {
            case ".users" -> users(c, g, s.rest());
            case ".empty-user" -> specialUser(c, g, s.rest(), false);
            case ".wildcard-user" -> specialUser(c, g, s.rest(), true);
            case ".tokens" -> tokens(c, g, s.rest());
            case "" -> group(c, g);
            default -> {
                if (s.kind().equals(".keys") && s.rest().isEmpty()) {
                    yield keys(c, g);
                }
                requireAdmin(c, g);                                                        // H47
                throw ApiException.notFound();
            }
        };
    }

    // --- a group's description (H51–H53) ---

    private FullHttpResponse group(Call c, String g) throws ApiException {
        if (c.is("OPTIONS")) {
            return options("HEAD, GET, PUT, DELETE");
        }
        requireAdmin(c, g);
        if (c.isRead()) {
            GroupFiles.Loaded l = files.read(g);
            return withEtag(c, l.etag(), () -> json(HttpResponseStatus.OK, GroupFiles.sanitised(l)));
        }
        if (c.is("PUT")) {
            synchronized (writeLock) {
                GroupFiles.Loaded old = files.readIfExists(g);
                precondition(c, old == null ? null : old.etag());                          // H52
                JsonNode body = jsonBody(c, "application/json");
                if (!body.isObject()) {
                    throw ApiException.internal();
                }
                ObjectNode desc = Json.object();
                for (var e : body.properties()) {
                    if (FORBIDDEN_IN_BODY.contains(e.getKey()) && !e.getValue().isNull()) {
                        throw ApiException.internal();
                    }
                    if (GroupFiles.KNOWN_KEYS.contains(e.getKey())) {
                        desc.set(e.getKey(), e.getValue());
                    }
                }
                if (old != null) {
                    ObjectNode kept = GroupFiles.upgraded(old);
                    for (String k : GroupFiles.PRIVATE_KEYS) {
                        if (kept.has(k)) {
                            desc.set(k, kept.get(k));
                        }
                    }
                }
                files.write(files.file(g), desc);
                return empty(old == null ? HttpResponseStatus.CREATED : HttpResponseStatus.NO_CONTENT);
            }
        }
        if (c.is("DELETE")) {
            synchronized (writeLock) {
                Path file = files.file(g);
                FileStamp stamp = FileStamp.of(file);
                if (!stamp.exists()) {
                    throw ApiException.notFound();                                         // H53
                }
                precondition(c, stamp.etag());
                files.delete(file);
                return empty(HttpResponseStatus.NO_CONTENT);
            }
        }
        throw methodNotAllowed("HEAD, GET, PUT, DELETE");
    }

    // --- users (H54, H55) ---

    private FullHttpResponse users(Call c, String g, String pth) throws ApiException {
        if (pth.isEmpty()) {
            throw ApiException.notFound();                                                 // H54
        }
        if (pth.equals("/")) {
            if (c.is("OPTIONS")) {
                return options("HEAD, GET");
            }
            requireAdmin(c, g);
            requireMethod(c, "HEAD, GET", "HEAD", "GET");
            GroupFiles.Loaded l = files.read(g);
            return withEtag(c, l.etag(), () -> json(HttpResponseStatus.OK, Json.strings(
                    l.description().users().keySet().stream().toList())));
        }
        Split s = Split.of(pth);
        if (!s.dir().isEmpty() && s.kind().isEmpty()) {
            return user(c, g, s.dir().substring(1), false);
        }
        if (!s.dir().isEmpty() && s.kind().equals(".password") && s.rest().isEmpty()) {
            return password(c, g, s.dir().substring(1), false);
        }
        requireAdmin(c, g);
        throw ApiException.notFound();
    }

    private FullHttpResponse specialUser(Call c, String g, String pth, boolean wildcard) throws ApiException {
        if (pth.isEmpty()) {
            return user(c, g, "", wildcard);
        }
        if (pth.equals("/.password")) {
            return password(c, g, "", wildcard);
        }
        requireAdmin(c, g);
        throw ApiException.notFound();
    }

    private static UserDescription findUser(GroupFiles.Loaded l, String user, boolean wildcard) {
        GroupDescription d = l.description();
        return wildcard ? d.wildcardUser() : d.users().get(user);
    }

    private static ObjectNode withUser(GroupFiles.Loaded l, String user, boolean wildcard, UserDescription u) {
        ObjectNode desc = GroupFiles.upgraded(l);
        if (wildcard) {
            if (u == null) {
                desc.remove("wildcard-user");
            } else {
                desc.set("wildcard-user", u.toJson());
            }
        } else {
            ObjectNode users = desc.has("users") ? (ObjectNode) desc.get("users") : desc.putObject("users");
            if (u == null) {
                users.remove(user);
            } else {
                users.set(user, u.toJson());
            }
            if (users.isEmpty()) {
                desc.remove("users");
            }
        }
        return desc;
    }

    private FullHttpResponse user(Call c, String g, String user, boolean wildcard) throws ApiException {
        if (c.is("OPTIONS")) {
            return options("HEAD, GET, PUT, DELETE");
        }
        requireAdmin(c, g);
        if (c.isRead()) {
            GroupFiles.Loaded l = files.read(g);
            UserDescription u = findUser(l, user, wildcard);
            if (u == null) {
                throw ApiException.notFound();
            }
            return withEtag(c, l.etag(), () -> json(HttpResponseStatus.OK, u.toJsonWithoutPassword()));
        }
        if (c.is("PUT")) {
            synchronized (writeLock) {
                GroupFiles.Loaded l = files.readIfExists(g);
                UserDescription old = l == null ? null : findUser(l, user, wildcard);
                precondition(c, old == null ? null : l.etag());
                JsonNode body = jsonBody(c, "application/json");
                if (!body.isObject()) {
                    throw ApiException.internal();
                }
                JsonNode pw = body.get("password");
                if (pw != null && !pw.isNull()) {
                    throw ApiException.internal();                                        // H55
                }
                JsonNode permissions = body.get("permissions");
                try {
                    Permissions.validate(permissions);
                } catch (UnknownPermissionException e) {
                    throw ApiException.unknownPermission();
                }
                if (l == null) {
                    throw ApiException.notFound();
                }
                UserDescription updated = new UserDescription(old == null ? Password.none() : old.password(),
                        permissions == null ? null : permissions.deepCopy());
                files.write(l.file(), withUser(l, user, wildcard, updated));
                return empty(old == null ? HttpResponseStatus.CREATED : HttpResponseStatus.NO_CONTENT);
            }
        }
        if (c.is("DELETE")) {
            synchronized (writeLock) {
                GroupFiles.Loaded l = files.read(g);
                if (findUser(l, user, wildcard) == null) {
                    throw ApiException.notFound();
                }
                precondition(c, l.etag());
                files.write(l.file(), withUser(l, user, wildcard, null));
                return empty(HttpResponseStatus.NO_CONTENT);
            }
        }
        throw methodNotAllowed("HEAD, GET, PUT, DELETE");
    }

    // --- passwords (H56) ---

    private FullHttpResponse password(Call c, String g, String user, boolean wildcard) throws ApiException {
        if (c.is("OPTIONS")) {
            return options("PUT, POST, DELETE");
        }
        boolean allowed = wildcard ? isAdmin(c, g) : isAdmin(c, g) || auth.isUserWithPassword(g, user, c.credentials());
        if (!allowed) {
            throw unauthorised();
        }
        Password pw;
        if (c.is("PUT")) {
            pw = Password.parse(jsonBody(c, "application/json"));
            if (pw instanceof Password.Malformed) {
                throw ApiException.internal();
            }
        } else if (c.is("POST")) {
            pw = Password.bcrypt(textBody(c));
        } else if (c.is("DELETE")) {
            pw = Password.none();
        } else {
            throw methodNotAllowed("PUT, POST, DELETE");
        }
        synchronized (writeLock) {
            GroupFiles.Loaded l = files.read(g);
            UserDescription old = findUser(l, user, wildcard);
            if (old == null) {
                throw ApiException.notFound();
            }
            files.write(l.file(), withUser(l, user, wildcard, old.withPassword(pw)));
            return empty(HttpResponseStatus.NO_CONTENT);
        }
    }

    // --- keys (H57) ---

    private FullHttpResponse keys(Call c, String g) throws ApiException {
        if (c.is("OPTIONS")) {
            return options("PUT, DELETE");
        }
        requireAdmin(c, g);
        ArrayNode keys = null;
        if (c.is("PUT")) {
            JsonNode body = jsonBody(c, "application/jwk-set+json");
            JsonNode k = body.get("keys");
            if (!body.isObject() || k != null && !k.isNull() && !k.isArray()) {
                throw ApiException.internal();
            }
            keys = Json.array();
            if (k != null && k.isArray()) {
                for (JsonNode key : k) {
                    try {
                        Authoriser.validateAuthKey(key);
                    } catch (InvalidDescriptionException | RuntimeException e) {
                        throw ApiException.internal();
                    }
                    keys.add(key);
                }
            }
        } else if (!c.is("DELETE")) {
            throw methodNotAllowed("PUT, DELETE");
        }
        synchronized (writeLock) {
            GroupFiles.Loaded l = files.read(g);
            ObjectNode desc = GroupFiles.upgraded(l);
            desc.remove("authKeys");
            if (keys != null && !keys.isEmpty()) {
                desc.set("authKeys", keys);
            }
            files.write(l.file(), desc);
            return empty(HttpResponseStatus.NO_CONTENT);
        }
    }

    // --- tokens (H58, H59) ---

    private FullHttpResponse tokens(Call c, String g, String pth) throws ApiException {
        if (pth.isEmpty()) {
            throw ApiException.notFound();                                                 // H58
        }
        if (c.is("OPTIONS")) {
            return options("HEAD, GET, POST, PUT, DELETE");
        }
        requireAdmin(c, g);
        if (!g.isEmpty() && files.policy(g) == null) {
            throw ApiException.notFound();
        }
        TokenStore store = ctx.tokens();
        try {
            if (pth.equals("/")) {
                if (c.isRead()) {
                    ArrayNode names = Json.array();
                    store.list(g).forEach(t -> names.add(t.token()));
                    FullHttpResponse r = json(HttpResponseStatus.OK, names);
                    String etag = store.etag();
                    if (etag != null) {
                        r.headers().set(HttpHeaderNames.ETAG, etag);
                    }
                    return r;
                }
                if (c.is("POST")) {
                    StatefulToken t = tokenBody(c);
                    StatefulToken created = new StatefulToken(Ids.shortId(), g, t.includeSubgroups(), t.username(),
                            t.permissions(), t.expires(), t.notBefore(), t.issuedAt(), t.issuedBy());
                    synchronized (writeLock) {
                        store.add(created);
                    }
                    FullHttpResponse r = empty(HttpResponseStatus.CREATED);
                    r.headers().set(HttpHeaderNames.LOCATION, created.token());
                    return r;
                }
                throw methodNotAllowed("HEAD, GET, POST");
            }
            String name = pth.substring(1);
            if (c.isRead()) {
                StatefulToken t = store.get(name).filter(x -> x.group().equals(g)).orElseThrow(ApiException::notFound);
                ObjectNode o = t.toJson();
                o.put("token", "");
                o.put("group", "");
                return withEtag(c, store.etag(), () -> json(HttpResponseStatus.OK, o));
            }
            if (c.is("PUT")) {
                synchronized (writeLock) {
                    Optional<StatefulToken> old = store.get(name);
                    if (old.isPresent() && !old.get().group().equals(g)) {
                        throw new ApiException(HttpResponseStatus.CONFLICT, "token exists in different group");
                    }
                    precondition(c, old.isPresent() ? store.etag() : null);
                    StatefulToken t = tokenBody(c);
                    StatefulToken updated = new StatefulToken(name, g, t.includeSubgroups(), t.username(),
                            t.permissions(), t.expires(), t.notBefore(), t.issuedAt(), t.issuedBy());
                    if (old.isPresent()) {
                        store.update(name, x -> updated);
                        return empty(HttpResponseStatus.NO_CONTENT);
                    }
                    store.add(updated);
                    return empty(HttpResponseStatus.CREATED);                              // H59, not the REF-DEFECT
                }
            }
            if (c.is("DELETE")) {
                synchronized (writeLock) {
                    StatefulToken t = store.get(name).filter(x -> x.group().equals(g)).orElseThrow(ApiException::notFound);
                    precondition(c, store.etag());
                    store.delete(t.token());
                    return empty(HttpResponseStatus.NO_CONTENT);
                }
            }
            throw methodNotAllowed("HEAD, GET, PUT, DELETE");
        } catch (TokenStore.TokenStoreException e) {
            log.warn("tokens: {}", e.getMessage());
            throw ApiException.internal();
        }
    }

    /** A D17 body whose {@code token} and {@code group} are empty (H58, H59). */
    private static StatefulToken tokenBody(Call c) throws ApiException {
        JsonNode body = jsonBody(c, "application/json");
        StatefulToken t;
        try {
            t = StatefulToken.fromJson(body);
        } catch (StatefulToken.InvalidTokenException e) {
            throw ApiException.internal();
        }
        if (!t.token().isEmpty() || !t.group().isEmpty()) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "overspecified token");
        }
        return t;
    }

    // --- authentication, methods, preconditions ---

    private boolean isAdmin(Call c, String g) {
        return g.isEmpty() ? auth.isGlobalAdmin(c.credentials()) : auth.isGroupAdmin(g, c.credentials());
    }

    private void requireAdmin(Call c, String g) throws ApiException {
        if (!isAdmin(c, g)) {
            throw unauthorised();
        }
    }

    /** H45: 401 with a Basic challenge and the reference's body. */
    private static ApiException unauthorised() {
        return ApiException.challenge();
    }

    private static void requireMethod(Call c, String allow, String... methods) throws ApiException {
        for (String m : methods) {
            if (c.is(m)) {
                return;
            }
        }
        throw methodNotAllowed(allow);
    }

    private static ApiException methodNotAllowed(String methods) {
        return ApiException.methodNotAllowed(methods);
    }

    private static void precondition(Call c, String etag) throws ApiException {
        HttpResponseStatus s = Preconditions.check(c.req, etag);
        if (s != null) {
            throw new ApiException(s, "");
        }
    }

    /** Runs the H61 checks against {@code etag}, then builds the answer; either way with the ETag. */
    private static FullHttpResponse withEtag(Call c, String etag, ResponseSupplier answer) throws ApiException {
        HttpResponseStatus s = Preconditions.check(c.req, etag);
        FullHttpResponse r = s != null ? empty(s) : answer.get();
        if (etag != null) {
            r.headers().set(HttpHeaderNames.ETAG, etag);
        }
        return r;
    }

    @FunctionalInterface
    private interface ResponseSupplier {
        FullHttpResponse get() throws ApiException;
    }

    // --- bodies ---

    private static String mediaType(Call c) {
        String ct = c.req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim();
    }

    private static JsonNode jsonBody(Call c, String type) throws ApiException {
        if (!mediaType(c).equalsIgnoreCase(type)) {
            throw ApiException.unsupportedType(type);
        }
        try {
            JsonNode n = Json.parse(c.req.content().toString(StandardCharsets.UTF_8));
            if (n == null || n.isMissingNode()) {
                throw ApiException.internal();
            }
            return n;
        } catch (IOException e) {
            throw ApiException.internal();
        }
    }

    private static String textBody(Call c) throws ApiException {
        if (!mediaType(c).equalsIgnoreCase("text/plain")) {
            throw ApiException.unsupportedType("text/plain");
        }
        return c.req.content().toString(StandardCharsets.UTF_8);
    }

    // --- responses ---

    private static FullHttpResponse options(String methods) {
        FullHttpResponse r = empty(HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "OPTIONS, " + methods);
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Authorization, Content-Type");
        return r;
    }

    private static FullHttpResponse empty(HttpResponseStatus status) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    }

    private static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer((Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text) {
        if (text.isEmpty()) {
            return empty(status);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer((text + "\n").getBytes(StandardCharsets.UTF_8)));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set("X-Content-Type-Options", "nosniff");
        return r;
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
