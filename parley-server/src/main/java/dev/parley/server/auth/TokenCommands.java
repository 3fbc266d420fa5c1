package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.parley.protocol.Json;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The protocol's token commands {@code maketoken}, {@code edittoken} and {@code listtokens} (T1–T9).
 * The caller wraps each {@link TokenReply} into a privileged {@code usermessage} of kind
 * {@code token} (make, edit) or {@code tokenlist} (list), sent to the requester only.
 */
public final class TokenCommands {
    public static final String NOT_AUTHORISED = "not-authorised";
    public static final String ERROR = "error";

    private final TokenStore store;
    private final Clock clock;

    public TokenCommands(TokenStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param error null on success, else {@code "not-authorised"} or {@code "error"}
     * @param value the token object(s) on success, the human-readable message otherwise
     */
    public record TokenReply(String error, JsonNode value) {
        static TokenReply failure(String error, String message) {
            return new TokenReply(error, Json.text(message));
        }

        static TokenReply success(JsonNode value) {
            return new TokenReply(null, value);
        }

        public boolean isSuccess() {
            return error == null;
        }
    }

    /** The fields a client may send, after type checking (T2). Null means absent. */
    private record Requested(String token, String username, String group, List<String> permissions,
                             Instant expires, Instant notBefore) {
    }

    private static final class BadValueException extends Exception {
        BadValueException(String message) {
            super(message);
        }
    }

    /**
     * T2–T4, T9.
     *
     * @param groupUsernames the names of the group's {@code users} entries
     */
    public TokenReply make(JsonNode value, String currentGroup, String senderUsername,
                           List<String> senderPermissions, Set<String> groupUsernames) {
        if (!senderPermissions.contains(Permissions.TOKEN)) {
            return TokenReply.failure(NOT_AUTHORISED, "not authorised");
        }
        Requested r;
        try {
            r = parse(value);
        } catch (BadValueException e) {
            return TokenReply.failure(ERROR, e.getMessage());
        }
        if (r.token() != null && !r.token().isEmpty()) {
            return TokenReply.failure(ERROR, "client specified token");
        }
        if (!(r.group() == null ? "" : r.group()).equals(currentGroup)) {
            return TokenReply.failure(ERROR, "wrong group in token");
        }
        if (r.expires() == null) {
            return TokenReply.failure(ERROR, "token doesn't expire");
        }
        if (r.username() != null && groupUsernames.contains(r.username())) {
            return TokenReply.failure(ERROR, "that username is taken");
        }
        if (r.permissions() != null) {
            for (String p : r.permissions()) {
                if (!senderPermissions.contains(p)) {
                    return TokenReply.failure(NOT_AUTHORISED, "not authorised");
                }
            }
        }
        StatefulToken token = new StatefulToken(StatefulToken.randomName(), currentGroup, false, r.username(),
                r.permissions(), r.expires(), r.notBefore(), clock.instant(),
                senderUsername == null || senderUsername.isEmpty() ? null : senderUsername);
        try {
            return TokenReply.success(store.add(token).toJson());
        } catch (TokenStore.TokenStoreException e) {
            return TokenReply.failure(ERROR, e.getMessage());
        }
    }

    /** T5–T7: only {@code expires} and {@code not-before} may change. */
    public TokenReply edit(JsonNode value, List<String> senderPermissions) {
        if (!isTokenOperator(senderPermissions)) {
            return TokenReply.failure(NOT_AUTHORISED, "not authorised");
        }
        Requested r;
        try {
            r = parse(value);
        } catch (BadValueException e) {
            return TokenReply.failure(ERROR, e.getMessage());
        }
        if ((r.group() != null && !r.group().isEmpty()) || r.username() != null || r.permissions() != null) {
            return TokenReply.failure(ERROR, "this field cannot be edited");
        }
        String name = r.token() == null ? "" : r.token();
        Optional<StatefulToken> updated;
        try {
            updated = store.update(name, old -> {
                StatefulToken t = old;
                if (r.expires() != null) {
                    t = t.withExpires(r.expires());
                }
                if (r.notBefore() != null) {
                    t = t.withNotBefore(r.notBefore());
                }
                return t;
            });
        } catch (TokenStore.TokenStoreException e) {
            return TokenReply.failure(ERROR, e.getMessage());
        }
        return updated.map(t -> TokenReply.success(t.toJson()))
                .orElseGet(() -> TokenReply.failure(ERROR, "file does not exist"));
    }

    /** T8: the current group's tokens, by expiry with non-expiring ones first. */
    public TokenReply list(String currentGroup, List<String> senderPermissions) {
        if (!isTokenOperator(senderPermissions)) {
            return TokenReply.failure(NOT_AUTHORISED, "not authorised");
        }
        try {
            ArrayNode a = Json.array();
            store.list(currentGroup).forEach(t -> a.add(t.toJson()));
            return TokenReply.success(a);
        } catch (TokenStore.TokenStoreException e) {
            return TokenReply.failure(ERROR, e.getMessage());
        }
    }

    private static boolean isTokenOperator(List<String> permissions) {
        return permissions.contains(Permissions.OP) && permissions.contains(Permissions.TOKEN);
    }

    /** The reference's field order decides which type error is reported first. */
    private Requested parse(JsonNode value) throws BadValueException {
        if (value == null || !value.isObject()) {
            throw new BadValueException("bad token value");
        }
        String token = string(value, "token");
        String username = string(value, "username");
        String group = string(value, "group");
        List<String> permissions = stringList(value, "permissions");
        Instant expires = time(value, "expires");
        Instant notBefore = time(value, "not-before");
        return new Requested(token, username, group, permissions, expires, notBefore);
    }

    private static JsonNode field(JsonNode value, String name) {
        JsonNode v = value.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private static String string(JsonNode value, String name) throws BadValueException {
        JsonNode v = field(value, name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadValueException("bad string value");
        }
        return v.asText();
    }

    private static List<String> stringList(JsonNode value, String name) throws BadValueException {
        JsonNode v = field(value, name);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw new BadValueException("bad string list");
        }
        List<String> result = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new BadValueException("bad string list");
            }
            result.add(e.asText());
        }
        return result;
    }

    /** An RFC 3339 string, or milliseconds relative to now (possibly negative, T2). */
    private Instant time(JsonNode value, String name) throws BadValueException {
        JsonNode v = field(value, name);
        if (v == null) {
            return null;
        }
        if (v.isTextual()) {
            try {
                return StatefulToken.parseRfc3339(v.asText());
            } catch (DateTimeParseException e) {
                throw new BadValueException("bad time value");
            }
        }
        if (v.isNumber()) {
            double millis = v.asDouble();
            if (Double.isNaN(millis) || Math.abs(millis) > 1e15) {
                throw new BadValueException("bad time value");
            }
            return clock.instant().plus(Duration.ofMillis((long) millis));
        }
        throw new BadValueException("bad time value");
    }
}
