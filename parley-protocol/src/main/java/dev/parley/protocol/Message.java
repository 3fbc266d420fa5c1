package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One protocol message, as it travels in a WebSocket text frame (spec W1, W3).
 *
 * <p>The wire format is one flat JSON object whose meaning depends on {@code type} and
 * {@code kind}; this record mirrors that schema field for field so that decoding can
 * check every field's JSON type (W3) and encoding can omit empty fields (W4).
 * {@code null} means "absent" for every reference field. {@code username} keeps the
 * difference between absent ({@code null}) and empty ({@code ""}), which W5 and D9 need.
 */
public record Message(
        String type,
        String kind,
        String error,
        String id,
        String replace,
        String source,
        String dest,
        String username,
        String password,
        String token,
        List<String> version,
        boolean privileged,
        List<String> permissions,
        ObjectNode status,
        ObjectNode data,
        String group,
        JsonNode value,
        boolean noecho,
        String time,
        String sdp,
        String label,
        Candidate candidate,
        JsonNode request,
        ObjectNode rtcConfiguration) {

    /** An ICE candidate as carried by {@code ice} messages (S22). */
    public record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {
    }

    public static Builder of(String type) {
        return new Builder().type(type);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Fluent construction of outgoing messages; most have only a handful of fields set. */
    public static final class Builder {
        private String type, kind, error, id, replace, source, dest, username, password, token;
        private List<String> version;
        private boolean privileged;
        private List<String> permissions;
        private ObjectNode status, data;
        private String group;
        private JsonNode value;
        private boolean noecho;
        private String time, sdp, label;
        private Candidate candidate;
        private JsonNode request;
        private ObjectNode rtcConfiguration;

        Builder() {
        }

        Builder(Message m) {
            type = m.type; kind = m.kind; error = m.error; id = m.id; replace = m.replace;
            source = m.source; dest = m.dest; username = m.username; password = m.password;
            token = m.token; version = m.version; privileged = m.privileged;
            permissions = m.permissions; status = m.status; data = m.data; group = m.group;
            value = m.value; noecho = m.noecho; time = m.time; sdp = m.sdp; label = m.label;
            candidate = m.candidate; request = m.request; rtcConfiguration = m.rtcConfiguration;
        }

        public Builder type(String v) { type = v; return this; }
        public Builder kind(String v) { kind = v; return this; }
        public Builder error(String v) { error = v; return this; }
        public Builder id(String v) { id = v; return this; }
        public Builder replace(String v) { replace = v; return this; }
        public Builder source(String v) { source = v; return this; }
        public Builder dest(String v) { dest = v; return this; }
        public Builder username(String v) { username = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder token(String v) { token = v; return this; }
        public Builder version(List<String> v) { version = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder permissions(List<String> v) { permissions = v; return this; }
        public Builder status(ObjectNode v) { status = v; return this; }
        public Builder data(ObjectNode v) { data = v; return this; }
        public Builder group(String v) { group = v; return this; }
        public Builder value(JsonNode v) { value = v; return this; }
        public Builder value(String v) { value = v == null ? null : Json.text(v); return this; }
        public Builder noecho(boolean v) { noecho = v; return this; }
        public Builder time(String v) { time = v; return this; }
        public Builder sdp(String v) { sdp = v; return this; }
        public Builder label(String v) { label = v; return this; }
        public Builder candidate(Candidate v) { candidate = v; return this; }
        public Builder request(JsonNode v) { request = v; return this; }
        public Builder rtcConfiguration(ObjectNode v) { rtcConfiguration = v; return this; }

        public Message build() {
            return new Message(type, kind, error, id, replace, source, dest, username, password, token,
                    version, privileged, permissions, status, data, group, value, noecho, time, sdp,
                    label, candidate, request, rtcConfiguration);
        }
    }
}
