package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The parts of a group description that authorisation reads.
 *
 * @param users username → description (DF1 {@code users}); never null
 * @param wildcardUser the {@code wildcard-user}, or null
 * @param authKeys the JWKs of {@code authKeys}, as JSON objects; never null
 * @param allowRecording {@code allow-recording} (P3)
 * @param unrestrictedTokens {@code unrestricted-tokens} (P3)
 */
public record AuthPolicy(Map<String, UserDescription> users, UserDescription wildcardUser, List<JsonNode> authKeys,
                         boolean allowRecording, boolean unrestrictedTokens) {
    public AuthPolicy {
        users = users == null ? Map.of() : Map.copyOf(users);
        authKeys = authKeys == null ? List.of() : List.copyOf(authKeys);
    }
}
