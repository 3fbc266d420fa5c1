package dev.parley.server.ws;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signalling sessions whose sockets are open. A session is here from its upgrade to its
 * socket's closing and nowhere else once the socket is gone, which is what lets an operator
 * (and the tests) check that closed sockets leave nothing behind.
 */
public final class SessionRegistry {
    private final Set<ClientSession> open = ConcurrentHashMap.newKeySet();

    public void opened(ClientSession session) {
        open.add(session);
    }

    public void closed(ClientSession session) {
        open.remove(session);
    }

    /** How many sockets are open. */
    public int count() {
        return open.size();
    }

    /** The open sessions at this moment. */
    public List<ClientSession> snapshot() {
        return List.copyOf(open);
    }
}
