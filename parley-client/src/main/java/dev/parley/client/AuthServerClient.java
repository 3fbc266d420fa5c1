package dev.parley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a group's authorisation server for a token, as the reference client does before a
 * join: POST {@code {location, username, password}} as JSON; 200 with {@code application/jwt}
 * is a token, 204 means "use the password with the server itself".
 */
final class AuthServerClient {
    private AuthServerClient() {
    }

    /**
     * Completes with the JWT, or null when the authorisation server answers 204; fails with an
     * {@link IllegalStateException} naming what was wrong with any other answer.
     */
    static CompletableFuture<String> token(Credentials.AuthServer a, String username) {
        ObjectNode body = Json.object();
        body.put("location", a.location());
        body.put("username", username);
        body.put("password", a.password());
        HttpRequest request = HttpRequest.newBuilder(URI.create(a.authServer()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        return SharedHttp.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(AuthServerClient::tokenOf);
    }

    private static String tokenOf(HttpResponse<String> r) {
        if (r.statusCode() == 204) {
            return null;
        }
        if (r.statusCode() < 200 || r.statusCode() >= 300) {
            throw new IllegalStateException("The authorisation server said " + r.statusCode());
        }
        String ctype = r.headers().firstValue("Content-Type").orElseThrow(
                () -> new IllegalStateException("The authorisation server didn't return a content type"));
        int semi = ctype.indexOf(';');
        ctype = (semi >= 0 ? ctype.substring(0, semi) : ctype).trim();
        if (!ctype.equalsIgnoreCase("application/jwt")) {
            throw new IllegalStateException("The authorisation server returned " + ctype);
        }
        if (r.body().isEmpty()) {
            throw new IllegalStateException("The authorisation server returned an empty token");
        }
        return r.body();
    }
}
