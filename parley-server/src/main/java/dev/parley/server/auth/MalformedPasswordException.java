package dev.parley.server.auth;

/** A stored password record that cannot be evaluated (D5): the join fails as an internal error. */
public final class MalformedPasswordException extends Exception {
    public MalformedPasswordException(String message) {
        super(message);
    }
}
