package dev.parley.server.ws;

import org.slf4j.MDC;

/**
 * Names the group and the user a session's log lines are about, for the time one of its
 * messages is processed: JSON logs carry them as {@code group} and {@code user} (the client's
 * id), so that an operator can pick one meeting out of a busy server's log.
 */
final class SessionLogContext implements AutoCloseable {
    static final String GROUP = "group";
    static final String USER = "user";

    private SessionLogContext() {
    }

    /** Sets the keys that are known (either may be null before the join); close removes them. */
    static SessionLogContext enter(String group, String userId) {
        if (group != null) {
            MDC.put(GROUP, group);
        }
        if (userId != null) {
            MDC.put(USER, userId);
        }
        return new SessionLogContext();
    }

    @Override
    public void close() {
        MDC.remove(GROUP);
        MDC.remove(USER);
    }
}
