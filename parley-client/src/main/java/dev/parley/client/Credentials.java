package dev.parley.client;

/** How {@link ServerConnection#join} authenticates: a password, a token or an authorisation server. */
public sealed interface Credentials {

    record Password(String password) implements Credentials {
    }

    record Token(String token) implements Credentials {
    }

    /** Asks {@code authServer} for a token (POST {location, username, password}); 204 falls back to the password. */
    record AuthServer(String authServer, String location, String password) implements Credentials {
    }

    static Credentials password(String password) {
        return new Password(password);
    }

    static Credentials token(String token) {
        return new Token(token);
    }
}
