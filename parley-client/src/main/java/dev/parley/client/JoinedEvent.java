package dev.parley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The arguments of one {@code onjoined} call, as a value (what {@link ServerConnection#join}
 * completes with). See {@link Callbacks.Joined#onJoined} for what each one holds.
 *
 * @param kind        "join", "fail" or "redirect" for an answer to a join
 * @param group       the group's name
 * @param permissions our permissions; empty after "fail"
 * @param status      the group's public status; empty when absent
 * @param data        our user data; empty when absent
 * @param error       a machine-readable reason for "fail", or null
 * @param message     a human-readable reason, or the redirect URL, or null
 */
public record JoinedEvent(String kind, String group, List<String> permissions, ObjectNode status,
                          ObjectNode data, String error, String message) {
}
