package dev.parley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** The arguments of one {@code onjoined} call, as a value (what {@link ServerConnection#join} completes with). */
public record JoinedEvent(String kind, String group, List<String> permissions, ObjectNode status,
                          ObjectNode data, String error, String message) {
}
