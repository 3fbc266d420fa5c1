package dev.parley.client;

import dev.parley.protocol.Message;

import java.util.concurrent.ScheduledFuture;

/**
 * Keeps a connection honest, as the reference client does: every 10 s, a server silent for
 * more than 65 s (or that never spoke) is an error that ends the connection, and after 15 s
 * of silence we ping so that a quiet group does not look dead to either side.
 */
final class Liveness {
    static final long PERIOD_MS = 10_000;
    static final long PING_AFTER_MS = 15_000;
    static final long TIMEOUT_MS = 65_000;

    private final ServerConnection sc;
    private volatile ScheduledFuture<?> timer;

    Liveness(ServerConnection sc) {
        this.sc = sc;
    }

    /** Event thread: starts checking (a connection being opened). */
    void start() {
        timer = sc.loop().every(PERIOD_MS, this::check);
    }

    /** Event thread: stops checking (the connection has ended). */
    void stop() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
            timer = null;
        }
    }

    /** The timer while connected, else null. */
    ScheduledFuture<?> timer() {
        return timer;
    }

    private void check() {
        if (!sc.isOpen()) {
            return;
        }
        Long last = sc.lastServerMessage();
        if (last == null) {
            sc.error(new IllegalStateException("Timeout"));
            return;
        }
        long silence = System.currentTimeMillis() - last;
        if (silence > TIMEOUT_MS) {
            sc.error(new IllegalStateException("Timeout"));
            return;
        }
        if (sc.version() != null && silence >= PING_AFTER_MS) {
            sc.trySend(Message.of("ping").build());
        }
    }
}
