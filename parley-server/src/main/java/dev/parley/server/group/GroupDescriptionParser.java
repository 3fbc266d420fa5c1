package dev.parley.server.group;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.protocol.Json;
import dev.parley.server.auth.InvalidDescriptionException;
import dev.parley.server.auth.Password;
import dev.parley.server.auth.UserDescription;
import dev.parley.server.util.StrictJson;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.parley.server.util.StrictJson.bool;
import static dev.parley.server.util.StrictJson.integer;
import static dev.parley.server.util.StrictJson.objects;
import static dev.parley.server.util.StrictJson.strings;
import static dev.parley.server.util.StrictJson.time;

/**
 * Strict parser for group description files (G3, DF1, DF2): unknown keys or wrong types
 * make the whole file invalid.
 */
public final class GroupDescriptionParser {
    private GroupDescriptionParser() {
    }

    public static GroupDescription parse(String text) throws InvalidDescriptionException {
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new InvalidDescriptionException("invalid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidDescriptionException("a group description must be a JSON object");
        }
        return parse(root);
    }

    public static GroupDescription parse(JsonNode root) throws InvalidDescriptionException {
        String displayName = "", description = "", redirect = "", authServer = "", authPortal = "";
        boolean isPublic = false, allowRecording = false, unrestrictedTokens = false, autoSubgroups = false;
        boolean autolock = false, autokick = false;
        int maxClients = 0, maxHistoryAge = 0;
        Instant expires = null, notBefore = null;
        Map<String, UserDescription> users = new LinkedHashMap<>();
        UserDescription wildcardUser = null;
        List<JsonNode> authKeys = List.of();
        List<String> codecs = List.of();
        List<JsonNode> obsoleteOp = List.of(), obsoletePresenter = List.of(), obsoleteOther = List.of();
        boolean hasUsers = false, hasWildcard = false;

        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "displayName" -> displayName = text(key, v);
                case "description" -> description = text(key, v);
                case "contact", "comment" -> text(key, v);
                case "public" -> isPublic = bool(key, v);
                case "redirect" -> redirect = text(key, v);
                case "max-clients" -> maxClients = integer(key, v);
                case "max-history-age" -> maxHistoryAge = integer(key, v);
                case "expires" -> expires = time(key, v);
                case "not-before" -> notBefore = time(key, v);
                case "allow-recording" -> allowRecording = bool(key, v);
                case "unrestricted-tokens" -> unrestrictedTokens = bool(key, v);
                case "auto-subgroups" -> autoSubgroups |= bool(key, v);
                case "allow-subgroups" -> autoSubgroups |= bool(key, v);
                case "allow-anonymous" -> bool(key, v);
                case "autolock" -> autolock = bool(key, v);
                case "autokick" -> autokick = bool(key, v);
                case "users" -> {
                    hasUsers = true;
                    users = UserDescription.parseMap(v);
                }
                case "wildcard-user" -> {
                    hasWildcard = !v.isNull();
                    wildcardUser = v.isNull() ? null : UserDescription.parse(v);
                }
                case "authKeys" -> authKeys = objects(key, v);
                case "authServer" -> authServer = text(key, v);
                case "authPortal" -> authPortal = text(key, v);
                case "codecs" -> codecs = strings(key, v);
                case "op" -> obsoleteOp = objects(key, v);
                case "presenter" -> obsoletePresenter = objects(key, v);
                case "other" -> obsoleteOther = objects(key, v);
                default -> throw new InvalidDescriptionException("unknown field \"" + key + "\"");
            }
        }
        // DF2: the obsolete arrays become users; the first entry without a username becomes
        // the wildcard user; the first occurrence of a username wins.
        UserDescription[] wildcardHolder = {wildcardUser};
        boolean[] wildcardSet = {hasWildcard};
        Map<String, UserDescription> merged = new LinkedHashMap<>(users);
        convertObsolete(obsoleteOp, "op", merged, wildcardHolder, wildcardSet, hasUsers);
        convertObsolete(obsoletePresenter, "present", merged, wildcardHolder, wildcardSet, hasUsers);
        convertObsolete(obsoleteOther, "message", merged, wildcardHolder, wildcardSet, hasUsers);

        return new GroupDescription(displayName, description, isPublic, redirect, maxClients, maxHistoryAge,
                expires, notBefore, allowRecording, unrestrictedTokens, autoSubgroups, autolock, autokick,
                Map.copyOf(merged), wildcardHolder[0], authKeys, authServer, authPortal, codecs);
    }

    private static void convertObsolete(List<JsonNode> entries, String permission, Map<String, UserDescription> users,
                                        UserDescription[] wildcard, boolean[] wildcardSet, boolean hasUsers)
            throws InvalidDescriptionException {
        for (JsonNode entry : entries) {
            String username = null;
            JsonNode password = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                switch (f.getKey()) {
                    case "username" -> username = text("username", f.getValue());
                    case "password" -> password = f.getValue().isNull() ? null : f.getValue();
                    default -> throw new InvalidDescriptionException("unknown field \"" + f.getKey() + "\" in user entry");
                }
            }
            Password pw = password == null
                    ? Password.parse(JsonNodeFactory.instance.objectNode().put("type", "wildcard"))
                    : Password.parse(password);
            UserDescription user = new UserDescription(pw, JsonNodeFactory.instance.textNode(permission));
            if (username == null || username.isEmpty()) {
                if (!wildcardSet[0]) {
                    wildcard[0] = user;
                    wildcardSet[0] = true;
                }
            } else {
                users.putIfAbsent(username, user);
            }
        }
    }

    private static String text(String key, JsonNode v) throws InvalidDescriptionException {
        String s = StrictJson.string(key, v);
        return s == null ? "" : s;
    }
}
