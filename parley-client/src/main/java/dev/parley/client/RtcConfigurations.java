package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;

import java.util.ArrayList;
import java.util.List;

/** Converts the browser-shaped {@code rtcConfiguration} the server sends in {@code joined} into libwebrtc's form. */
public final class RtcConfigurations {
    private RtcConfigurations() {
    }

    /**
     * Converts a browser-shaped configuration. {@code iceServers} entries take {@code urls}
     * (a string or an array) or the older {@code url}, with {@code username} and
     * {@code credential}; entries without a URL are skipped. {@code iceTransportPolicy}
     * "relay" forces TURN; anything else allows every candidate.
     *
     * @param json the server's {@code rtcConfiguration}, or null
     * @return a new configuration; libwebrtc's defaults (no ICE servers) for null
     */
    public static RTCConfiguration fromJson(ObjectNode json) {
        RTCConfiguration c = new RTCConfiguration();
        if (json == null) {
            return c;
        }
        JsonNode servers = json.get("iceServers");
        if (servers != null && servers.isArray()) {
            for (JsonNode s : servers) {
                RTCIceServer server = iceServer(s);
                if (server != null) {
                    c.iceServers.add(server);
                }
            }
        }
        JsonNode policy = json.get("iceTransportPolicy");
        if (policy != null && policy.isTextual()) {
            c.iceTransportPolicy = "relay".equals(policy.asText()) ? RTCIceTransportPolicy.RELAY
                    : RTCIceTransportPolicy.ALL;
        }
        return c;
    }

    private static RTCIceServer iceServer(JsonNode s) {
        if (!s.isObject()) {
            return null;
        }
        List<String> urls = new ArrayList<>();
        JsonNode u = s.get("urls");
        if (u == null) {
            u = s.get("url");
        }
        if (u != null && u.isTextual()) {
            urls.add(u.asText());
        } else if (u != null && u.isArray()) {
            u.forEach(e -> {
                if (e.isTextual()) {
                    urls.add(e.asText());
                }
            });
        }
        if (urls.isEmpty()) {
            return null;
        }
        RTCIceServer server = new RTCIceServer();
        server.urls = urls;
        JsonNode user = s.get("username");
        JsonNode cred = s.get("credential");
        if (user != null && user.isTextual()) {
            server.username = user.asText();
        }
        if (cred != null && cred.isTextual()) {
            server.password = cred.asText();
        }
        return server;
    }
}
