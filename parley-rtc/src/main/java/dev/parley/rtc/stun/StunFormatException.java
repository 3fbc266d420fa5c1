package dev.parley.rtc.stun;

/** Thrown when bytes that claim to be a STUN message are malformed. Never thrown for valid input. */
public final class StunFormatException extends RuntimeException {
    public StunFormatException(String message) {
        super(message, null, false, false); // no stack trace: garbage from the network is routine
    }
}
