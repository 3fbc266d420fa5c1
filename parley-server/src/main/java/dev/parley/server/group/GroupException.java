package dev.parley.server.group;

/** Why a group cannot be used; the message is the text the protocol sends (J9). */
public final class GroupException extends Exception {
    public enum Reason { ILLEGAL_NAME, DOES_NOT_EXIST, INVALID_DESCRIPTION }

    private final Reason reason;

    public GroupException(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The text a failed join carries (J9). */
    public String joinFailureText() {
        return switch (reason) {
            case ILLEGAL_NAME -> "illegal group name";
            case DOES_NOT_EXIST -> "group does not exist";
            case INVALID_DESCRIPTION -> "internal server error";
        };
    }
}
