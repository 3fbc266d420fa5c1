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
}
