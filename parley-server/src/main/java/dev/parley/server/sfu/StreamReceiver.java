package dev.parley.server.sfu;

/**
 * A group member that is offered the up streams of others (S23): WebSocket clients through
 * offers, the recorder by recording them. Calls may come from any thread.
 */
public interface StreamReceiver {
    /** Offers, updates or (when it is closed) withdraws an up stream of another member. */
    void push(UpStream up);

    /** The presenter closed stream {@code id}. */
    void upClosed(String id);

    /**
     * Stream {@code newId} replaces {@code oldId} (S20): a WebSocket client learns it from the
     * new stream's first offer; receivers without offers just drop the old one.
     */
    default void replaced(String newId, String oldId) {
        upClosed(oldId);
    }
}
