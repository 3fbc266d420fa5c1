package dev.parley.server.ws;

/**
 * Errors that end a signalling session, one per row of the W6 table. Each carries the
 * close code and says whether an error {@code usermessage} precedes the close frame.
 */
public sealed abstract class SessionTermination extends Exception {
    SessionTermination(String message) {
        super(message, null, false, false);
    }

    abstract int closeCode();

    abstract boolean notifies();

    /** A protocol error: error usermessage, then close 1002 with the text (W6). */
    public static final class ProtocolError extends SessionTermination {
        public ProtocolError(String message) {
            super(message);
        }

        @Override
        int closeCode() {
            return 1002;
        }

        @Override
        boolean notifies() {
            return true;
        }
    }

    /** A user-level error that ends the session: error usermessage, then close 1000 (J16, UA1, GA1). */
    public static final class FatalUserError extends SessionTermination {
        public FatalUserError(String message) {
            super(message);
        }

        @Override
        int closeCode() {
            return 1000;
        }

        @Override
        boolean notifies() {
            return true;
        }
    }

    /** Any other failure, type errors included: close 1011 with no reason and no notification. */
    public static final class InternalFailure extends SessionTermination {
        public InternalFailure(String message) {
            super(message);
        }

        @Override
        int closeCode() {
            return 1011;
        }

        @Override
        boolean notifies() {
            return false;
        }
    }
}
