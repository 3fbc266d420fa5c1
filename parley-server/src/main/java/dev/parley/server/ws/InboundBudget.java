package dev.parley.server.ws;

/**
 * Bounds what one client may have sent that its session has not processed yet, in messages
 * and in bytes. Past either bound the socket stops being read until the session has worked
 * through half of it, so a client that sends faster than its messages are handled (a flood
 * of large joins, each answered only after the J10 delay) holds back its own socket instead
 * of filling the heap.
 *
 * <p>The bound is soft by what one socket read already brought in: a few more frames than
 * the bound can be decoded before reading actually stops.
 */
final class InboundBudget {
    static final int MAX_MESSAGES = 32;
    static final long MAX_BYTES = 1 << 20;

    private final Connection connection;
    private int messages;
    private long bytes;
    private boolean paused;
    private int peakMessages;
    private long peakBytes;

    InboundBudget(Connection connection) {
        this.connection = connection;
    }

    /** A message of {@code size} bytes has arrived and waits to be processed. */
    synchronized void arrived(int size) {
        messages++;
        bytes += size;
        peakMessages = Math.max(peakMessages, messages);
        peakBytes = Math.max(peakBytes, bytes);
        if (!paused && (messages >= MAX_MESSAGES || bytes >= MAX_BYTES)) {
            paused = true;
            connection.pauseReading();
        }
    }

    /** A message that {@link #arrived} has been processed (or dropped). */
    synchronized void processed(int size) {
        messages--;
        bytes -= size;
        if (paused && messages <= MAX_MESSAGES / 2 && bytes <= MAX_BYTES / 2) {
            paused = false;
            connection.resumeReading();
        }
    }

    /** The most messages that were ever waiting at once. */
    synchronized int peakMessages() {
        return peakMessages;
    }

    /** The most bytes that were ever waiting at once. */
    synchronized long peakBytes() {
        return peakBytes;
    }
}
