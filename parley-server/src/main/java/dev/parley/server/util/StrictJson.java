package dev.parley.server.util;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.auth.InvalidDescriptionException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of one field of a configuration file, where a wrong type makes the whole file
 * invalid (G3, L6). JSON {@code null} reads as absent: null, false, 0 or an empty list.
 */
public final class StrictJson {
    private StrictJson() {
    }

    public static String string(String key, JsonNode v) throws InvalidDescriptionException {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidDescriptionException(key + " must be a string");
        }
        return v.asText();
    }

    public static boolean bool(String key, JsonNode v) throws InvalidDescriptionException {
        if (v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new InvalidDescriptionException(key + " must be a boolean");
        }
        return v.booleanValue();
    }

    public static int integer(String key, JsonNode v) throws InvalidDescriptionException {
        if (v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidDescriptionException(key + " must be an integer");
        }
        return v.intValue();
    }

    /** An RFC 3339 time. */
    public static Instant time(String key, JsonNode v) throws InvalidDescriptionException {
        String s = string(key, v);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidDescriptionException(key + " must be an RFC 3339 time");
        }
    }

    public static List<String> strings(String key, JsonNode v) throws InvalidDescriptionException {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(key, v, "strings")) {
            if (!n.isTextual()) {
                throw new InvalidDescriptionException(key + " must be an array of strings");
            }
            out.add(n.asText());
        }
        return List.copyOf(out);
    }

    public static List<JsonNode> objects(String key, JsonNode v) throws InvalidDescriptionException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : array(key, v, "objects")) {
            if (!n.isObject()) {
                throw new InvalidDescriptionException(key + " must be an array of objects");
            }
            out.add(n);
        }
        return List.copyOf(out);
    }

    private static Iterable<JsonNode> array(String key, JsonNode v, String of) throws InvalidDescriptionException {
        if (v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new InvalidDescriptionException(key + " must be an array of " + of);
        }
        return v;
    }
}
