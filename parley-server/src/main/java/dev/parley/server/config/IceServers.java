package dev.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.server.turn.BuiltInTurn;
import dev.parley.server.util.FileStamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * The {@code rtcConfiguration} handed to clients (L9, L11, L15), built from
 * {@code <data>/ice-servers.json}, followed by the built-in TURN server when it runs (L10), which
 * starts or stops here as the file disappears or appears. Time-limited TURN credentials
 * ({@code hmac-sha1}) are issued afresh for each call.
 */
public final class IceServers {
    private static final Logger log = LoggerFactory.getLogger(IceServers.class);

    private final Path file;
    private final boolean relayOnly;
    private final Clock clock;
    private final BuiltInTurn turn;
    private FileStamp stamp;
    private ArrayNode configured = Json.array();

    public IceServers(Path dataDir, boolean relayOnly, Clock clock) {
        this(dataDir, relayOnly, clock, new BuiltInTurn("", List::of));
    }

    public IceServers(Path dataDir, boolean relayOnly, Clock clock, BuiltInTurn turn) {
        this.file = dataDir.resolve("ice-servers.json");
        this.relayOnly = relayOnly;
        this.clock = clock;
        this.turn = turn;
    }

    /** The built-in TURN server (L10), running or not. */
    public BuiltInTurn builtInTurn() {
        return turn;
    }

    public synchronized ObjectNode rtcConfiguration() {
        refresh();
        turn.update(stamp.exists());
        ObjectNode conf = Json.object();
        ObjectNode builtIn = turn.iceServer();
        if (!configured.isEmpty() || builtIn != null) {
            ArrayNode servers = conf.putArray("iceServers");
            for (JsonNode s : configured) {
                servers.add(withCredentials((ObjectNode) s));
            }
            if (builtIn != null) {
                servers.add(builtIn);                                   // L15: after the configured ones
            }
        }
        if (relayOnly) {
            conf.put("iceTransportPolicy", "relay");
        }
        return conf;
    }

    private void refresh() {
        FileStamp now = FileStamp.of(file);
        if (now.equals(stamp)) {
            return;
        }
        stamp = now;
        configured = Json.array();
        if (!now.exists()) {
            return;
        }
        try {
            JsonNode root = Json.parse(Files.readString(file));
            if (root == null || !root.isArray()) {
                throw new IllegalArgumentException("expected a JSON array");
            }
            for (JsonNode s : root) {
                if (s.isObject() && s.has("urls")) {
                    configured.add(s);
                }
            }
        } catch (Exception e) {
            log.error("{}: {}", file, e.getMessage());
        }
    }

    private ObjectNode withCredentials(ObjectNode server) {
        ObjectNode out = Json.object();
        JsonNode urls = server.get("urls");
        out.set("urls", urls.isArray() ? urls : Json.array().add(urls.asText()));
        String type = server.path("credentialType").asText("");
        if (type.equals("hmac-sha1")) {
            String user = server.path("username").asText("");
            String name = (clock.instant().getEpochSecond() + 86400) + (user.isEmpty() ? "" : ":" + user);
            out.put("username", name);
            out.put("credential", hmacSha1(server.path("credential").asText(""), name));
        } else {
            if (server.has("username")) {
                out.set("username", server.get("username"));
            }
            if (server.has("credential")) {
                out.set("credential", server.get("credential"));
            }
        }
        return out;
    }

    static String hmacSha1(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is always available", e);
        }
    }
}
