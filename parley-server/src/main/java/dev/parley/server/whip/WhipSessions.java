package dev.parley.server.whip;

import dev.parley.server.group.Group;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The WHIP sessions of the server, by the resource name in their Location URL (H64). */
public final class WhipSessions {
    private final ConcurrentHashMap<String, WhipSession> byResource = new ConcurrentHashMap<>();

    public WhipSession create(Group group, String username, List<String> permissions, String token, String address) {
        WhipSession s = new WhipSession(group, username, permissions, token, address, this);
        byResource.put(s.resource(), s);
        return s;
    }

    public WhipSession get(String resource) {
        return byResource.get(resource);
    }

    void remove(WhipSession s) {
        byResource.remove(s.resource(), s);
    }
}
