package dev.parley.server.ws;

/** The transport under a signalling session: a WebSocket in production. */
public interface Connection {
    /** Queues one text frame; returns false when the connection is gone or its queue is full (W7). */
    boolean sendText(String text);

    /**
     * Queues several text frames (still one message per frame, W8) that count as one entry of
     * the bounded output queue: a join's burst of history and user messages (J11) is as long
     * as the group is large, and must not be mistaken for a slow reader.
     */
    default boolean sendTexts(java.util.List<String> texts) {
        for (String t : texts) {
            if (!sendText(t)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Stops reading from the peer until as many {@link #resumeReading()} calls: its data then
     * waits in the kernel and TCP flow control holds the sender back. Calls nest, so that
     * independent reasons (a full inbound budget, the J10 delay) can overlap. A transport that
     * cannot pause ignores this.
     */
    default void pauseReading() {
    }

    /** Undoes one {@link #pauseReading()}. */
    default void resumeReading() {
    }

    /** Sends a close frame with this code and reason, then closes the socket. */
    void close(int code, String reason);

    /** Closes the TCP connection without a close frame (HS1). */
    void abort();

    /** {@code ip:port} of the peer, or null. */
    String remoteAddress();
}
