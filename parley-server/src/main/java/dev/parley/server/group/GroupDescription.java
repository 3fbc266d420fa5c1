package dev.parley.server.group;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.AuthPolicy;
import dev.parley.server.auth.UserDescription;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A group description file, as parsed by {@link GroupDescriptionParser} (spec C.5).
 * Fields that the server ignores ({@code contact}, {@code comment}, {@code allow-anonymous})
 * are accepted by the parser but not kept.
 */
public record GroupDescription(
        String displayName,
        String description,
        boolean isPublic,
        String redirect,
        int maxClients,
        int maxHistoryAge,
        Instant expires,
        Instant notBefore,
        boolean allowRecording,
        boolean unrestrictedTokens,
        boolean autoSubgroups,
        boolean autolock,
        boolean autokick,
        Map<String, UserDescription> users,
        UserDescription wildcardUser,
        List<JsonNode> authKeys,
        String authServer,
        String authPortal,
        List<String> codecs) {

    public static final int DEFAULT_HISTORY_AGE_SECONDS = 14400;
    public static final List<String> DEFAULT_CODECS = List.of("vp8", "opus");

    public int historyAgeSeconds() {
        return maxHistoryAge > 0 ? maxHistoryAge : DEFAULT_HISTORY_AGE_SECONDS;
    }

    public List<String> effectiveCodecs() {
        return codecs.isEmpty() ? DEFAULT_CODECS : codecs;
    }

    public boolean hasRedirect() {
        return redirect != null && !redirect.isEmpty();
    }

    public AuthPolicy authPolicy() {
        return new AuthPolicy(users, wildcardUser, authKeys, allowRecording, unrestrictedTokens);
    }

    /** The description an automatic subgroup inherits (G8): never public, no description. */
    public GroupDescription forSubgroup() {
        return new GroupDescription(displayName, "", false, redirect, maxClients, maxHistoryAge, expires,
                notBefore, allowRecording, unrestrictedTokens, autoSubgroups, autolock, autokick, users,
                wildcardUser, authKeys, authServer, authPortal, codecs);
    }
}
