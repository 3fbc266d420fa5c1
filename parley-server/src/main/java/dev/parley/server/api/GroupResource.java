package dev.parley.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.server.auth.Authoriser;
import dev.parley.server.auth.InvalidDescriptionException;
import dev.parley.server.util.FileStamp;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.file.Path;
import java.util.Set;

import static dev.parley.server.api.ApiResponses.empty;
import static dev.parley.server.api.ApiResponses.json;
import static dev.parley.server.api.ApiResponses.options;

/** {@code /.groups/NAME} (H51–H53) and {@code /.groups/NAME/.keys} (H57). */
final class GroupResource {
    /** Never accepted in a written description (H52); the obsolete lists would smuggle users in. */
    private static final Set<String> FORBIDDEN_IN_BODY = Set.of("users", "wildcard-user", "authKeys", "op",
            "presenter", "other");

    private final GroupFiles files;
    private final ApiAuth auth;
    private final Object writeLock;

    GroupResource(GroupFiles files, ApiAuth auth, Object writeLock) {
        this.files = files;
        this.auth = auth;
        this.writeLock = writeLock;
    }

    FullHttpResponse group(ApiCall c, String g) throws ApiException {
        if (c.is("OPTIONS")) {
            return options("HEAD, GET, PUT, DELETE");
        }
        auth.requireAdmin(c, g);
        if (c.isRead()) {
            GroupFiles.Loaded l = files.read(g);
            return c.withEtag(l.etag(), () -> json(HttpResponseStatus.OK, GroupFiles.sanitised(l)));
        }
        if (c.is("PUT")) {
            synchronized (writeLock) {
                GroupFiles.Loaded old = files.readIfExists(g);
                c.precondition(old == null ? null : old.etag());                          // H52
                JsonNode body = c.jsonBody("application/json");
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
                c.precondition(stamp.etag());
                files.delete(file);
                return empty(HttpResponseStatus.NO_CONTENT);
            }
        }
        throw ApiException.methodNotAllowed("HEAD, GET, PUT, DELETE");
    }

    FullHttpResponse keys(ApiCall c, String g) throws ApiException {
        if (c.is("OPTIONS")) {
            return options("PUT, DELETE");
        }
        auth.requireAdmin(c, g);
        ArrayNode keys = null;
        if (c.is("PUT")) {
            JsonNode body = c.jsonBody("application/jwk-set+json");
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
            throw ApiException.methodNotAllowed("PUT, DELETE");
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
}
