package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A token kept in the tokens file (D17). Absent fields are null; note that an absent
 * {@code username} (the client must supply one, D10) differs from {@code ""}.
 *
 * @param token the secret name, matched exactly
 * @param group {@code ""} is the root
 * @param includeSubgroups whether the token also covers subgroups (D19)
 * @param username null when absent
 * @param permissions null when absent or JSON null; used verbatim (P5)
 */
public record StatefulToken(String token, String group, boolean includeSubgroups, String username,
                            List<String> permissions, Instant expires, Instant notBefore, Instant issuedAt,
                            String issuedBy) {

    public StatefulToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(group, "group");
        permissions = permissions == null ? null : Collections.unmodifiableList(new ArrayList<>(permissions));
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** A fresh token name: 8 random bytes, base64url without padding, 11 characters (T4, H58). */
    public static String randomName() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** D19: whether the token admits a client to group {@code name} at {@code now}. */
    public boolean validFor(String name, Instant now) {
        return covers(name) && expires != null && !now.isAfter(expires)
                && (notBefore == null || !now.isBefore(notBefore));
    }

    /** The group part of D19. The root ({@code ""}) is only covered by a global token. */
    public boolean covers(String name) {
        if (name.isEmpty()) {
            return includeSubgroups && group.isEmpty();
        }
        if (name.equals(group)) {
            return true;
        }
        return includeSubgroups && (group.isEmpty() || name.startsWith(group + "/"));
    }

    /** Whether this is a global admin token valid now (H45 c). */
    public boolean isGlobalAdmin(Instant now) {
        return group.isEmpty() && includeSubgroups && validFor("", now)
                && permissions != null && permissions.contains(Permissions.ADMIN);
    }

    public StatefulToken withExpires(Instant newExpires) {
        return new StatefulToken(token, group, includeSubgroups, username, permissions, newExpires, notBefore,
                issuedAt, issuedBy);
    }

    public StatefulToken withNotBefore(Instant newNotBefore) {
        return new StatefulToken(token, group, includeSubgroups, username, permissions, expires, newNotBefore,
                issuedAt, issuedBy);
    }

    /** The D17 JSON object, fields in the reference's order. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("token", token);
        o.put("group", group);
        if (includeSubgroups) {
            o.put("includeSubgroups", true);
        }
        if (username != null) {
            o.put("username", username);
        }
        if (permissions == null) {
            o.putNull("permissions");
        } else {
            ArrayNode a = o.putArray("permissions");
            permissions.forEach(a::add);
        }
        putTime(o, "expires", expires);
        putTime(o, "not-before", notBefore);
        putTime(o, "issuedAt", issuedAt);
        if (issuedBy != null) {
            o.put("issuedBy", issuedBy);
        }
        return o;
    }

    private static void putTime(ObjectNode o, String name, Instant t) {
        if (t != null) {
            o.put(name, t.toString());
        }
    }

    /**
     * Reads one D17 object. Unknown fields are ignored; wrong types are errors. JSON null counts as
     * absent.
     */
    public static StatefulToken fromJson(JsonNode node) throws InvalidTokenException {
        if (node == null || !node.isObject()) {
            throw new InvalidTokenException("token is not a JSON object");
        }
        String token = string(node, "token");
        String group = string(node, "group");
        JsonNode sub = node.get("includeSubgroups");
        if (sub != null && !sub.isNull() && !sub.isBoolean()) {
            throw new InvalidTokenException("includeSubgroups is not a boolean");
        }
        return new StatefulToken(
                token == null ? "" : token,
                group == null ? "" : group,
                sub != null && sub.asBoolean(),
                string(node, "username"),
                stringList(node, "permissions"),
                time(node, "expires"),
                time(node, "not-before"),
                time(node, "issuedAt"),
                string(node, "issuedBy"));
    }

    private static String string(JsonNode node, String name) throws InvalidTokenException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidTokenException(name + " is not a string");
        }
        return v.asText();
    }

    private static List<String> stringList(JsonNode node, String name) throws InvalidTokenException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new InvalidTokenException(name + " is not an array");
        }
        List<String> result = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new InvalidTokenException(name + " contains a non-string");
            }
            result.add(e.asText());
        }
        return result;
    }

    private static Instant time(JsonNode node, String name) throws InvalidTokenException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidTokenException(name + " is not a time string");
        }
        try {
            return parseRfc3339(v.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidTokenException(name + " is not an RFC 3339 time");
        }
    }

    /** RFC 3339 with any offset, e.g. {@code 2025-01-02T03:04:05Z} or {@code …+01:00}. */
    static Instant parseRfc3339(String s) {
        return OffsetDateTime.parse(s).toInstant();
    }

    /** A token record that cannot be read. */
    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message);
        }
    }
}
