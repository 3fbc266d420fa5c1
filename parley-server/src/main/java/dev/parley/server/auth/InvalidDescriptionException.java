package dev.parley.server.auth;

/** A user description that does not decode strictly (DF3, G3). */
public final class InvalidDescriptionException extends Exception {
    public InvalidDescriptionException(String message) {
        super(message);
    }

    public InvalidDescriptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
