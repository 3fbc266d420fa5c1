package dev.parley.server.auth;

/** A {@code permissions} value that is neither a known named set nor an array of strings (P2). */
public final class UnknownPermissionException extends Exception {
    public UnknownPermissionException(String message) {
        super(message);
    }
}
