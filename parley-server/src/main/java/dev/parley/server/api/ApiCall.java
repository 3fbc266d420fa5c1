package dev.parley.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** One API request: its method, credentials (parsed once), preconditions and body. */
final class ApiCall {
    private final FullHttpRequest req;
    private Credentials credentials;

    ApiCall(FullHttpRequest req) {
        this.req = req;
    }

    Credentials credentials() {
        if (credentials == null) {
            credentials = Credentials.of(req);
        }
        return credentials;
    }

    boolean isRead() {
        return is("GET") || is("HEAD");
    }

    boolean is(String method) {
        return req.method().name().equals(method);
    }

    HttpMethod method() {
        return req.method();
    }

    /** H9: 405 unless the method is one of {@code methods}; {@code allow} is the Allow list. */
    void requireMethod(String allow, String... methods) throws ApiException {
        for (String m : methods) {
            if (is(m)) {
                return;
            }
        }
        throw ApiException.methodNotAllowed(allow);
    }

    /** H61 against {@code etag} (null: no such resource); ends the request with 412 or 304. */
    void precondition(String etag) throws ApiException {
        HttpResponseStatus s = Preconditions.check(req, etag);
        if (s != null) {
            throw new ApiException(s, "");
        }
    }

    /** Runs the H61 checks against {@code etag}, then builds the answer; either way with the ETag. */
    FullHttpResponse withEtag(String etag, ResponseSupplier answer) throws ApiException {
        HttpResponseStatus s = Preconditions.check(req, etag);
        FullHttpResponse r = s != null ? ApiResponses.empty(s) : answer.get();
        if (etag != null) {
            r.headers().set(HttpHeaderNames.ETAG, etag);
        }
        return r;
    }

    @FunctionalInterface
    interface ResponseSupplier {
        FullHttpResponse get() throws ApiException;
    }

    /** A JSON body of this media type (parameters allowed): 415 otherwise, 500 if unparsable. */
    JsonNode jsonBody(String type) throws ApiException {
        if (!mediaType().equalsIgnoreCase(type)) {
            throw ApiException.unsupportedType(type);
        }
        try {
            JsonNode n = Json.parse(req.content().toString(StandardCharsets.UTF_8));
            if (n == null || n.isMissingNode()) {
                throw ApiException.internal();
            }
            return n;
        } catch (IOException e) {
            throw ApiException.internal();
        }
    }

    /** A {@code text/plain} body (H56 POST). */
    String textBody() throws ApiException {
        if (!mediaType().equalsIgnoreCase("text/plain")) {
            throw ApiException.unsupportedType("text/plain");
        }
        return req.content().toString(StandardCharsets.UTF_8);
    }

    private String mediaType() {
        String ct = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim();
    }
}
