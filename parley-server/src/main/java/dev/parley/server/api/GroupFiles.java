package dev.parley.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.server.auth.AuthPolicy;
import dev.parley.server.auth.InvalidDescriptionException;
import dev.parley.server.auth.UserDescription;
import dev.parley.server.group.GroupDescription;
import dev.parley.server.group.GroupDescriptionParser;
import dev.parley.server.group.GroupNames;
import dev.parley.server.util.AtomicFiles;
import dev.parley.server.util.FileStamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Group description files as the API sees them: the exact file of a group (no automatic
 * subgroups, H51), read as a JSON tree and written back atomically (mode 0600, H52).
 */
final class GroupFiles {
    private static final Logger log = LoggerFactory.getLogger(GroupFiles.class);

    /** Keys the API never accepts in a written description; the stored ones are kept (H52). */
    static final Set<String> PRIVATE_KEYS = Set.of("users", "wildcard-user", "authKeys");
    /** Obsolete keys (DF2) that are rewritten as users when a description is written back. */
    private static final Set<String> OBSOLETE_KEYS = Set.of("op", "presenter", "other", "allow-anonymous",
            "allow-subgroups");
    /** Every key the description parser knows; others are dropped from API bodies (H52). */
    static final Set<String> KNOWN_KEYS = Set.of("displayName", "description", "contact", "comment", "public",
            "redirect", "max-clients", "max-history-age", "expires", "not-before", "allow-recording",
            "unrestricted-tokens", "auto-subgroups", "autolock", "autokick", "authServer", "authPortal", "codecs");

    private final Path dir;
    private final BooleanSupplier writable;

    GroupFiles(Path dir, BooleanSupplier writable) {
        this.dir = dir;
        this.writable = writable;
    }

    /** A description file as read: its JSON, its parsed form and its stamp (for the ETag). */
    record Loaded(Path file, ObjectNode json, GroupDescription description, FileStamp stamp) {
        String etag() {
            return stamp.etag();
        }
    }

    Path file(String name) throws ApiException {
        if (!GroupNames.isValid(name)) {
            throw ApiException.notFound();
        }
        try {
            return dir.resolve(name + ".json");
        } catch (InvalidPathException e) {
            throw ApiException.notFound();
        }
    }

    /** The group's own file; 404 if it is missing, 500 if it cannot be parsed. */
    Loaded read(String name) throws ApiException {
        Loaded l = readIfExists(name);
        if (l == null) {
            throw ApiException.notFound();
        }
        return l;
    }

    Loaded readIfExists(String name) throws ApiException {
        return readFile(file(name));
    }

    private static Loaded readFile(Path file) throws ApiException {
        for (int attempt = 0; attempt < 3; attempt++) {
            FileStamp before = FileStamp.of(file);
            if (!before.exists()) {
                return null;
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                log.warn("{}: {}", file, e.getMessage());
                throw ApiException.internal();
            }
            if (!FileStamp.of(file).equals(before)) {
                continue;       // changed while we read it
            }
            try {
                JsonNode root = Json.parse(text);
                if (root == null || !root.isObject()) {
                    throw new InvalidDescriptionException("a group description must be a JSON object");
                }
                return new Loaded(file, (ObjectNode) root, GroupDescriptionParser.parse(root), before);
            } catch (IOException | InvalidDescriptionException e) {
                log.warn("{}: {}", file, e.getMessage());
                throw ApiException.internal();
            }
        }
        throw ApiException.internal();
    }

    /**
     * The policy that admits clients to {@code name}: its own file or, for an automatic
     * subgroup, the nearest ancestor's. Null if there is none or it cannot be read.
     */
    AuthPolicy policy(String name) {
        try {
            Loaded own = readIfExists(name);
            if (own != null) {
                return own.description().authPolicy();
            }
            String ancestor = name;
            int slash;
            while ((slash = ancestor.lastIndexOf('/')) > 0) {
                ancestor = ancestor.substring(0, slash);
                Loaded l = readIfExists(ancestor);
                if (l != null) {
                    return l.description().autoSubgroups() ? l.description().authPolicy() : null;
                }
            }
            return null;
        } catch (ApiException e) {
            return null;
        }
    }

    /**
     * The description as stored, brought up to date: obsolete keys become users (DF2) and
     * {@code users}, {@code wildcard-user} and {@code authKeys} come from the parsed form.
     */
    static ObjectNode upgraded(Loaded l) {
        ObjectNode o = l.json().deepCopy();
        boolean autoSubgroups = l.description().autoSubgroups();
        o.remove(OBSOLETE_KEYS);
        o.remove(PRIVATE_KEYS);
        if (autoSubgroups) {
            o.put("auto-subgroups", true);
        }
        GroupDescription d = l.description();
        if (!d.users().isEmpty()) {
            ObjectNode users = o.putObject("users");
            d.users().forEach((k, v) -> users.set(k, v.toJson()));
        }
        if (d.wildcardUser() != null) {
            o.set("wildcard-user", d.wildcardUser().toJson());
        }
        if (!d.authKeys().isEmpty()) {
            ArrayNode keys = o.putArray("authKeys");
            d.authKeys().forEach(keys::add);
        }
        return o;
    }

    /** H51: the description without its secrets, empty values omitted. */
    static ObjectNode sanitised(Loaded l) {
        ObjectNode o = upgraded(l);
        o.remove(PRIVATE_KEYS);
        o.properties().removeIf(e -> isEmpty(e.getValue()));
        return o;
    }

    private static boolean isEmpty(JsonNode v) {
        return v.isNull() || v.isBoolean() && !v.booleanValue() || v.isTextual() && v.asText().isEmpty()
                || v.isNumber() && v.asDouble() == 0 || v.isContainerNode() && v.isEmpty();
    }

    /** Users of a description, by name, after the DF2 upgrade. */
    static Map<String, UserDescription> users(Loaded l) {
        return l.description().users();
    }

    /**
     * Checks and writes a description. Throws 500 if it would not parse, 401 if descriptions
     * are not writable (H52).
     */
    void write(Path file, ObjectNode description) throws ApiException {
        try {
            GroupDescriptionParser.parse(description);
        } catch (InvalidDescriptionException e) {
            log.info("refusing to write {}: {}", file, e.getMessage());
            throw ApiException.internal();
        }
        if (!writable.getAsBoolean()) {
            throw ApiException.notAuthorised();
        }
        try {
            AtomicFiles.write(file, (Json.write(description) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.warn("writing {}: {}", file, e.getMessage());
            throw ApiException.internal();
        }
    }

    void delete(Path file) throws ApiException {
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            throw ApiException.notFound();
        } catch (IOException e) {
            log.warn("deleting {}: {}", file, e.getMessage());
            throw ApiException.internal();
        }
    }
}
