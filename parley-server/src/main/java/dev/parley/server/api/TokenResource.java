package dev.parley.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.server.auth.StatefulToken;
import dev.parley.server.auth.TokenStore;
import dev.parley.server.util.Ids;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

import static dev.parley.server.api.ApiResponses.empty;
import static dev.parley.server.api.ApiResponses.json;
import static dev.parley.server.api.ApiResponses.options;

/** Stateful tokens: {@code /.groups/NAME/.tokens/} and {@code /.groups/.tokens/} (H58, H59). */
final class TokenResource {
    private static final Logger log = LoggerFactory.getLogger(TokenResource.class);

    private final TokenStore store;
    private final GroupFiles files;
    private final ApiAuth auth;
    private final Object writeLock;

    TokenResource(TokenStore store, GroupFiles files, ApiAuth auth, Object writeLock) {
        this.store = store;
        this.files = files;
        this.auth = auth;
        this.writeLock = writeLock;
    }

    FullHttpResponse tokens(ApiCall c, String g, String pth) throws ApiException {
        if (pth.isEmpty()) {
            throw ApiException.notFound();                                                 // H58
        }
        if (c.is("OPTIONS")) {
            return options("HEAD, GET, POST, PUT, DELETE");
        }
        auth.requireAdmin(c, g);
        if (!g.isEmpty() && files.policy(g) == null) {
            throw ApiException.notFound();
        }
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
                throw ApiException.methodNotAllowed("HEAD, GET, POST");
            }
            String name = pth.substring(1);
            if (c.isRead()) {
                StatefulToken t = store.get(name).filter(x -> x.group().equals(g)).orElseThrow(ApiException::notFound);
                ObjectNode o = t.toJson();
                o.put("token", "");
                o.put("group", "");
                return c.withEtag(store.etag(), () -> json(HttpResponseStatus.OK, o));
            }
            if (c.is("PUT")) {
                synchronized (writeLock) {
                    Optional<StatefulToken> old = store.get(name);
                    if (old.isPresent() && !old.get().group().equals(g)) {
                        throw new ApiException(HttpResponseStatus.CONFLICT, "token exists in different group");
                    }
                    c.precondition(old.isPresent() ? store.etag() : null);
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
                    c.precondition(store.etag());
                    store.delete(t.token());
                    return empty(HttpResponseStatus.NO_CONTENT);
                }
            }
            throw ApiException.methodNotAllowed("HEAD, GET, PUT, DELETE");
        } catch (TokenStore.TokenStoreException e) {
            log.warn("tokens: {}", e.getMessage());
            throw ApiException.internal();
        }
    }

    /** A D17 body whose {@code token} and {@code group} are empty (H58, H59). */
    private static StatefulToken tokenBody(ApiCall c) throws ApiException {
        JsonNode body = c.jsonBody("application/json");
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
}
