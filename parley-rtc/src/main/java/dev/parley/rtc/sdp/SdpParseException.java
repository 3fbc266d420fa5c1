package dev.parley.rtc.sdp;

/**
 * Thrown for SDP that cannot be understood. The message names the offending line (1-based) and
 * quotes it, so that an error can be shown to a user or logged without the full description.
 */
public final class SdpParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int lineNumber;

    public SdpParseException(String message) {
        this(message, 0, null);
    }

    public SdpParseException(String message, int lineNumber, Throwable cause) {
        super(lineNumber > 0 ? "SDP line " + lineNumber + ": " + message : message, cause);
        this.lineNumber = lineNumber;
    }

    /** 1-based line number, or 0 when the error is not tied to a line. */
    public int lineNumber() {
        return lineNumber;
    }
}
