package dev.parley.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.server.auth.Password;
import dev.parley.server.auth.Permissions;
import dev.parley.server.auth.UnknownPermissionException;
import dev.parley.server.auth.UserDescription;
import dev.parley.server.group.GroupDescription;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import static dev.parley.server.api.ApiResponses.empty;
import static dev.parley.server.api.ApiResponses.json;
import static dev.parley.server.api.ApiResponses.options;

/**
 * The users of a group description: {@code .users/}, {@code .users/USER}, {@code .empty-user},
 * {@code .wildcard-user} (H54, H55) and their {@code .password} (H56).
 */
final class UserResource {
    private final GroupFiles files;
    private final ApiAuth auth;
    private final Object writeLock;

    UserResource(GroupFiles files, ApiAuth auth, Object writeLock) {
        this.files = files;
        this.auth = auth;
        this.writeLock = writeLock;
    }

    FullHttpResponse users(ApiCall c, String g, String pth) throws ApiException {
        if (pth.isEmpty()) {
            throw ApiException.notFound();                                                 // H54
        }
        if (pth.equals("/")) {
            if (c.is("OPTIONS")) {
                return options("HEAD, GET");
            }
            auth.requireAdmin(c, g);
            c.requireMethod("HEAD, GET", "HEAD", "GET");
            GroupFiles.Loaded l = files.read(g);
            return c.withEtag(l.etag(), () -> json(HttpResponseStatus.OK, Json.strings(
                    l.description().users().keySet().stream().toList())));
        }
        ApiPath s = ApiPath.of(pth);
        if (!s.dir().isEmpty() && s.kind().isEmpty()) {
            return user(c, g, s.dir().substring(1), false);
        }
        if (!s.dir().isEmpty() && s.kind().equals(".password") && s.rest().isEmpty()) {
            return password(c, g, s.dir().substring(1), false);
        }
        auth.requireAdmin(c, g);
        throw ApiException.notFound();
    }

    FullHttpResponse specialUser(ApiCall c, String g, String pth, boolean wildcard) throws ApiException {
        if (pth.isEmpty()) {
            return user(c, g, "", wildcard);
        }
        if (pth.equals("/.password")) {
            return password(c, g, "", wildcard);
        }
        auth.requireAdmin(c, g);
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

    private FullHttpResponse user(ApiCall c, String g, String user, boolean wildcard) throws ApiException {
        if (c.is("OPTIONS")) {
            return options("HEAD, GET, PUT, DELETE");
        }
        auth.requireAdmin(c, g);
        if (c.isRead()) {
            GroupFiles.Loaded l = files.read(g);
            UserDescription u = findUser(l, user, wildcard);
            if (u == null) {
                throw ApiException.notFound();
            }
            return c.withEtag(l.etag(), () -> json(HttpResponseStatus.OK, u.toJsonWithoutPassword()));
        }
        if (c.is("PUT")) {
            synchronized (writeLock) {
                GroupFiles.Loaded l = files.readIfExists(g);
                UserDescription old = l == null ? null : findUser(l, user, wildcard);
                c.precondition(old == null ? null : l.etag());
                JsonNode body = c.jsonBody("application/json");
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
                c.precondition(l.etag());
                files.write(l.file(), withUser(l, user, wildcard, null));
                return empty(HttpResponseStatus.NO_CONTENT);
            }
        }
        throw ApiException.methodNotAllowed("HEAD, GET, PUT, DELETE");
    }

    // --- passwords (H56) ---

    FullHttpResponse password(ApiCall c, String g, String user, boolean wildcard) throws ApiException {
        if (c.is("OPTIONS")) {
            return options("PUT, POST, DELETE");
        }
        boolean allowed = wildcard ? auth.isAdmin(c, g) : auth.isAdmin(c, g) || auth.isUserWithPassword(g, user, c.credentials());
        if (!allowed) {
            throw ApiException.challenge();
        }
        Password pw;
        if (c.is("PUT")) {
            pw = Password.parse(c.jsonBody("application/json"));
            if (pw instanceof Password.Malformed) {
                throw ApiException.internal();
            }
        } else if (c.is("POST")) {
            pw = Password.bcrypt(c.textBody());
        } else if (c.is("DELETE")) {
            pw = Password.none();
        } else {
            throw ApiException.methodNotAllowed("PUT, POST, DELETE");
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
}
