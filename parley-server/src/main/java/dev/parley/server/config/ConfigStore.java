package dev.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.server.auth.InvalidDescriptionException;
import dev.parley.server.auth.UserDescription;
import dev.parley.server.util.FileStamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static dev.parley.server.util.StrictJson.bool;
import static dev.parley.server.util.StrictJson.string;
import static dev.parley.server.util.StrictJson.strings;

/**
 * Reads {@code config.json} and re-reads it whenever its size or modification time
 * changes (L5). A missing file is an empty configuration; an invalid one is reported and
 * treated as empty, so that a typo never takes the server down.
 */
public final class ConfigStore {
    private static final Logger log = LoggerFactory.getLogger(ConfigStore.class);

    private final Path file;
    private FileStamp stamp;
    private ServerConfig config = ServerConfig.EMPTY;

    public ConfigStore(Path dataDir) {
        this.file = dataDir.resolve("config.json");
    }

    public synchronized ServerConfig get() {
        FileStamp now = FileStamp.of(file);
        if (!now.equals(stamp)) {
            stamp = now;
            try {
                config = now.exists() ? parse(Files.readString(file)) : ServerConfig.EMPTY;
            } catch (NoSuchFileException e) {
                config = ServerConfig.EMPTY;
            } catch (IOException | InvalidDescriptionException e) {
                log.error("{}: {}; using an empty configuration", file, e.getMessage());
                config = ServerConfig.EMPTY;
            }
        }
        return config;
    }

    static ServerConfig parse(String text) throws IOException, InvalidDescriptionException {
        JsonNode root = Json.parse(text);
        if (root == null || !root.isObject()) {
            throw new InvalidDescriptionException("config.json must hold a JSON object");
        }
        Map<String, UserDescription> users = Map.of();
        String canonicalHost = null;
        String proxyURL = null;
        List<String> allowOrigin = List.of();
        List<String> allowAdminOrigin = List.of();
        boolean writableGroups = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "users" -> users = UserDescription.parseMap(v);
                case "canonicalHost" -> canonicalHost = string(e.getKey(), v);
                case "proxyURL" -> proxyURL = string(e.getKey(), v);
                case "allowOrigin" -> allowOrigin = strings(e.getKey(), v);
                case "allowAdminOrigin" -> allowAdminOrigin = strings(e.getKey(), v);
                case "writableGroups" -> writableGroups = bool(e.getKey(), v);
                case "admin" -> { /* obsolete, ignored (L6) */ }
                default -> throw new InvalidDescriptionException("unknown field " + e.getKey() + " in config.json");
            }
        }
        return new ServerConfig(users, emptyToNull(canonicalHost), allowOrigin, allowAdminOrigin,
                emptyToNull(proxyURL), writableGroups);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
