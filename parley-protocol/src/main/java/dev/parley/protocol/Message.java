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
 *
 * @param type             what the message is: "handshake", "ping", "join", "joined",
 *                         "user", "request", "offer", "answer", "ice", "renegotiate", "close",
 *                         "abort", "chat", "chathistory", "usermessage", "useraction",
 *                         "groupaction"…
 * @param kind             the variant within the type: "join" or "leave" for a join; "join",
 *                         "fail", "change", "leave" or "redirect" for joined; "add", "change"
 *                         or "delete" for user; the action of a useraction or groupaction; the
 *                         kind of a chat or usermessage
 * @param error            a machine-readable error, in a failed joined or an error usermessage
 * @param id               depends on the type: our client id in a handshake, a stream id in
 *                         stream messages, a user id in user, a message id in chat, the
 *                         kicker's id in a kicked usermessage
 * @param replace          in an offer, the id of the stream this one replaces
 * @param source           the id of the client the message comes from; absent from the server
 * @param dest             the id of the recipient; absent for everybody
 * @param username         the sender's or the user's username; "" and absent differ
 * @param password         the password of a join
 * @param token            the token of a join
 * @param version          the protocol versions of a handshake (["2"])
 * @param privileged       true when the sender is the server or an operator
 * @param permissions      our permissions in joined, a member's in user
 * @param status           the group's public status, in joined
 * @param data             user data: ours in join and joined, a member's in user
 * @param group            the group's name, in join and joined
 * @param value            the payload: a chat's text, an action's argument, a usermessage's
 *                         value, a joined's human-readable message
 * @param noecho           true when the sender does not want its broadcast echoed
 * @param time             when the server received a chat or usermessage (RFC 3339, or epoch
 *                         milliseconds from old servers)
 * @param sdp              the session description of an offer or answer
 * @param label            a stream's label, in an offer
 * @param candidate        the ICE candidate of an ice message
 * @param request          what to receive: an object label → kinds in request, a list of
 *                         kinds in requestStream
 * @param rtcConfiguration the ICE servers and policy, in joined
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

    /**
     * An ICE candidate as carried by {@code ice} messages (S22), shaped like the browser's
     * {@code RTCIceCandidateInit}.
     *
     * @param candidate        the candidate line ("candidate:…"); "" marks the end of candidates
     * @param sdpMid           the media section's mid, or null
     * @param sdpMLineIndex    the media section's index, or null
     * @param usernameFragment the ICE username fragment it belongs to, or null
     */
    public record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {
    }

    /**
     * Starts building a message.
     *
     * @param type the message's type, e.g. "chat"
     * @return a builder with only the type set
     */
    public static Builder of(String type) {
        return new Builder().type(type);
    }

    /**
     * Starts building a changed copy of this message.
     *
     * @return a builder holding every field of this message
     */
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

        /**
         * Sets {@link Message#type() type}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder type(String v) { type = v; return this; }
        /**
         * Sets {@link Message#kind() kind}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder kind(String v) { kind = v; return this; }
        /**
         * Sets {@link Message#error() error}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder error(String v) { error = v; return this; }
        /**
         * Sets {@link Message#id() id}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder id(String v) { id = v; return this; }
        /**
         * Sets {@link Message#replace() replace}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder replace(String v) { replace = v; return this; }
        /**
         * Sets {@link Message#source() source}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder source(String v) { source = v; return this; }
        /**
         * Sets {@link Message#dest() dest}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder dest(String v) { dest = v; return this; }
        /**
         * Sets {@link Message#username() username}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder username(String v) { username = v; return this; }
        /**
         * Sets {@link Message#password() password}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder password(String v) { password = v; return this; }
        /**
         * Sets {@link Message#token() token}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder token(String v) { token = v; return this; }
        /**
         * Sets {@link Message#version() version}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder version(List<String> v) { version = v; return this; }
        /**
         * Sets {@link Message#privileged() privileged}.
         *
         * @param v the value; false to omit it
         * @return this builder
         */
        public Builder privileged(boolean v) { privileged = v; return this; }
        /**
         * Sets {@link Message#permissions() permissions}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder permissions(List<String> v) { permissions = v; return this; }
        /**
         * Sets {@link Message#status() status}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder status(ObjectNode v) { status = v; return this; }
        /**
         * Sets {@link Message#data() data}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder data(ObjectNode v) { data = v; return this; }
        /**
         * Sets {@link Message#group() group}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder group(String v) { group = v; return this; }
        /**
         * Sets {@link Message#value() value}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder value(JsonNode v) { value = v; return this; }
        /**
         * Sets {@link Message#value() value} to a JSON string (a chat's text, a kick's message).
         *
         * @param v the text; null for absent
         * @return this builder
         */
        public Builder value(String v) { value = v == null ? null : Json.text(v); return this; }
        /**
         * Sets {@link Message#noecho() noecho}.
         *
         * @param v the value; false to omit it
         * @return this builder
         */
        public Builder noecho(boolean v) { noecho = v; return this; }
        /**
         * Sets {@link Message#time() time}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder time(String v) { time = v; return this; }
        /**
         * Sets {@link Message#sdp() sdp}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder sdp(String v) { sdp = v; return this; }
        /**
         * Sets {@link Message#label() label}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder label(String v) { label = v; return this; }
        /**
         * Sets {@link Message#candidate() candidate}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder candidate(Candidate v) { candidate = v; return this; }
        /**
         * Sets {@link Message#request() request}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder request(JsonNode v) { request = v; return this; }
        /**
         * Sets {@link Message#rtcConfiguration() rtcConfiguration}.
         *
         * @param v the value; null for absent
         * @return this builder
         */
        public Builder rtcConfiguration(ObjectNode v) { rtcConfiguration = v; return this; }

        /**
         * Builds the message; fields never set are absent.
         *
         * @return a new message
         */
        public Message build() {
            return new Message(type, kind, error, id, replace, source, dest, username, password, token,
                    version, privileged, permissions, status, data, group, value, noecho, time, sdp,
                    label, candidate, request, rtcConfiguration);
        }
    }
}
