package dev.parley.server.api;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Map;

/** A request that ends with an error answer; the handler turns it into a response (H8). */
final class ApiException extends Exception {
    private final HttpResponseStatus status;
    private final String body;
    private final Map<String, String> headers;

    ApiException(HttpResponseStatus status, String body) {
        this(status, body, Map.of());
    }

    private ApiException(HttpResponseStatus status, String body, Map<String, String> headers) {
        super(status + ": " + body, null, false, false);
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    static ApiException notFound() {
        return new ApiException(HttpResponseStatus.NOT_FOUND, "404 page not found");
    }

    static ApiException internal() {
        return new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");
    }

    /** A refused write to descriptions (writableGroups unset, H52). */
    static ApiException notAuthorised() {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, "not authorised");
    }

    /** Failed API authentication (H45). */
    static ApiException challenge() {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, "Haha!",
                Map.of("WWW-Authenticate", "basic realm=\"/galene-api/\""));
    }

    static ApiException unknownPermission() {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "unknown permission");
    }

    /** H9: 405 with the route's methods. */
    static ApiException methodNotAllowed(String methods) {
        return new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed",
                Map.of("Allow", "OPTIONS, " + methods));
    }

    /** 415 with the {@code Accept} header naming the expected type (H52, H56, H57). */
    static ApiException unsupportedType(String accepted) {
        return new ApiException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported content type",
                Map.of("Accept", accepted));
    }

    HttpResponseStatus status() {
        return status;
    }

    String body() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }
}
