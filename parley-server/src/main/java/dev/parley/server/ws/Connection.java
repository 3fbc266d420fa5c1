package dev.parley.server.ws;

/** The transport under a signalling session: a WebSocket in production. */
public interface Connection {
    /** Queues one text frame; returns false when the connection is gone or its queue is full (W7). */
    boolean sendText(String text);

    /** Sends a close frame with this code and reason, then closes the socket. */
    void close(int code, String reason);

    /** Closes the TCP connection without a close frame (HS1). */
    void abort();

    /** {@code ip:port} of the peer, or null. */
    String remoteAddress();
}
