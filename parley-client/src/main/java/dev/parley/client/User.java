package dev.parley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * One member of the group as last announced by the server. Immutable: a change replaces
 * the entry in {@link ServerConnection#users()}.
 *
 * @param username    the member's username, or null when it joined without one
 * @param permissions what the member may do in the group ("op", "present", "message"…)
 * @param data        the member's public data (e.g. {@code raisehand}), never null
 * @param streams label → media kind ("audio", "video") → true, for the streams we carry
 *                for this user (our up streams for ourself, our down streams for others)
 */
public record User(String username, List<String> permissions, ObjectNode data,
                   Map<String, Map<String, Boolean>> streams) {

    User withStreams(Map<String, Map<String, Boolean>> s) {
        return new User(username, permissions, data, s);
    }
}
