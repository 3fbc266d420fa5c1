package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Expands the {@code permissions} value of a user description into the list a client holds (P1–P4).
 * Every call returns a fresh mutable list: the reference shares expansions between users, so
 * changing one user's permissions changed everyone's [REF-DEFECT in P2].
 */
public final class Permissions {
    public static final String OP = "op";
    public static final String PRESENT = "present";
    public static final String MESSAGE = "message";
    public static final String CAPTION = "caption";
    public static final String TOKEN = "token";
    public static final String RECORD = "record";
    public static final String ADMIN = "admin";
    public static final String SYSTEM = "system";

    private static final Map<String, List<String>> NAMED_SETS = Map.of(
            "op", List.of(OP, PRESENT, MESSAGE, CAPTION, TOKEN),
            "present", List.of(PRESENT, MESSAGE),
            "message", List.of(MESSAGE),
            "observe", List.of(),
            "caption", List.of(CAPTION),
            "admin", List.of(ADMIN));

    private Permissions() {
    }

    /**
     * @param permissions a named set (string), a verbatim array of strings, or null/missing (none)
     * @param allowRecording the group's {@code allow-recording}, which adds {@code record} to op sets
     * @param unrestrictedTokens the group's {@code unrestricted-tokens}, which adds {@code token} to
     *     present sets
     */
    public static List<String> expand(JsonNode permissions, boolean allowRecording, boolean unrestrictedTokens)
            throws UnknownPermissionException {
        if (permissions == null || permissions.isMissingNode() || permissions.isNull()) {
            return new ArrayList<>();
        }
        if (permissions.isArray()) {
            return verbatim(permissions);
        }
        if (!permissions.isTextual()) {
            throw new UnknownPermissionException("permissions must be a string or an array of strings");
        }
        List<String> set = NAMED_SETS.get(permissions.asText());
        if (set == null) {
            throw new UnknownPermissionException("unknown permission " + permissions.asText());
        }
        List<String> result = new ArrayList<>(set);
        // Augmentations apply to named sets only, and are prepended (P3).
        if (allowRecording && result.contains(OP) && !result.contains(RECORD)) {
            result.addFirst(RECORD);
        }
        if (unrestrictedTokens && result.contains(PRESENT) && !result.contains(TOKEN)) {
            result.addFirst(TOKEN);
        }
        return result;
    }

    /** Throws if {@link #expand} would. */
    public static void validate(JsonNode permissions) throws UnknownPermissionException {
        expand(permissions, false, false);
    }

    /** Whether the expansion of {@code permissions} (with no augmentation) contains {@code permission}. */
    public static boolean includes(JsonNode permissions, String permission) {
        try {
            return expand(permissions, false, false).contains(permission);
        } catch (UnknownPermissionException e) {
            return false;
        }
    }

    private static List<String> verbatim(JsonNode array) throws UnknownPermissionException {
        List<String> result = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                throw new UnknownPermissionException("permission arrays must contain strings only");
            }
            result.add(element.asText());
        }
        return result;
    }
}
