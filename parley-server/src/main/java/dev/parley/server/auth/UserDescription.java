package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;

import java.util.Iterator;
import java.util.Objects;

/**
 * One {@code users} entry or the {@code wildcard-user} of a group description (DF3). Both parts are
 * optional: a missing password never matches and missing permissions mean none.
 *
 * @param password never null; {@link Password.Never} when absent
 * @param permissions the raw value (named set string or array), or null when absent; expand it with
 *     {@link Permissions#expand} at join time so every client owns its list
 */
public record UserDescription(Password password, JsonNode permissions) {
    public UserDescription {
        Objects.requireNonNull(password, "password");
        if (permissions != null && (permissions.isNull() || permissions.isMissingNode())) {
            permissions = null;
        }
    }

    /** Strict decoding: only {@code password} and {@code permissions}, with the right types. */
    /** A {@code users} object: username → user description, in file order (null → empty). */
    public static java.util.Map<String, UserDescription> parseMap(JsonNode node) throws InvalidDescriptionException {
        if (node == null || node.isNull()) {
            return java.util.Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidDescriptionException("users must be an object");
        }
        java.util.Map<String, UserDescription> out = new java.util.LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), parse(e.getValue()));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    public static UserDescription parse(JsonNode node) throws InvalidDescriptionException {
        if (node == null || !node.isObject()) {
            throw new InvalidDescriptionException("user description must be an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("password") && !name.equals("permissions")) {
                throw new InvalidDescriptionException("unknown field " + name + " in user description");
            }
        }
        JsonNode password = node.get("password");
        if (password != null && !password.isNull() && !password.isTextual() && !password.isObject()) {
            throw new InvalidDescriptionException("password must be a string or an object");
        }
        JsonNode permissions = node.get("permissions");
        try {
            Permissions.validate(permissions);
        } catch (UnknownPermissionException e) {
            throw new InvalidDescriptionException(e.getMessage(), e);
        }
        return new UserDescription(Password.parse(password),
                permissions == null ? null : permissions.deepCopy());
    }

    /** The description with the password left out, as the API shows it (H55). */
    public ObjectNode toJsonWithoutPassword() {
        ObjectNode o = Json.object();
        if (permissions != null) {
            o.set("permissions", permissions.deepCopy());
        }
        return o;
    }

    /** The full description for writing back to disk. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        // Like the reference, a never-matching password (absent or with an empty type) is omitted.
        if (!(password instanceof Password.Never)) {
            o.set("password", password.toJson());
        }
        if (permissions != null) {
            o.set("permissions", permissions.deepCopy());
        }
        return o;
    }

    public UserDescription withPassword(Password newPassword) {
        return new UserDescription(newPassword, permissions);
    }
}
