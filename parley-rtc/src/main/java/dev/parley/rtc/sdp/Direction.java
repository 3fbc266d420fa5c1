package dev.parley.rtc.sdp;

/** Media direction attribute of an m-section (RFC 8866 §6.7). */
public enum Direction {
    SENDRECV("sendrecv"), SENDONLY("sendonly"), RECVONLY("recvonly"), INACTIVE("inactive");

    private final String attributeName;

    Direction(String attributeName) {
        this.attributeName = attributeName;
    }

    public String attributeName() {
        return attributeName;
    }

    /** The direction the other side uses in its answer: sendonly ↔ recvonly. */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** Returns the direction named by an attribute, or null if the name is not a direction. */
    public static Direction fromAttribute(String name) {
        for (Direction d : values()) {
            if (d.attributeName.equals(name)) {
                return d;
            }
        }
        return null;
    }
}
