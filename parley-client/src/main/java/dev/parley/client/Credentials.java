package dev.parley.client;

/** How {@link ServerConnection#join} authenticates: a password, a token or an authorisation server. */
public sealed interface Credentials {

    /**
     * A password checked by the server against the group's configuration.
     *
     * @param password the password
     */
    record Password(String password) implements Credentials {
    }

    /**
     * A token: a JWT signed by an authorisation server the group trusts, or a stateful token
     * made by an operator (an invitation link's {@code token} parameter).
     *
     * @param token the token
     */
    record Token(String token) implements Credentials {
    }

    /**
     * Asks {@code authServer} for a token (POST {location, username, password}); 204 falls back to the password.
     *
     * @param authServer the authorisation server's URL, from the group's status ({@code authServer})
     * @param location   the group's URL, which the authorisation server checks the token is for
     * @param password   the user's password, sent to the authorisation server (and to the
     *                   server itself when the authorisation server answers 204)
     */
    record AuthServer(String authServer, String location, String password) implements Credentials {
    }

    /**
     * Password credentials.
     *
     * @param password the password
     * @return {@code new Password(password)}
     */
    static Credentials password(String password) {
        return new Password(password);
    }

    /**
     * Token credentials.
     *
     * @param token the token
     * @return {@code new Token(token)}
     */
    static Credentials token(String token) {
        return new Token(token);
    }
}
