package dev.parley.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes and encodes {@link Message}s with the reference server's rules.
 *
 * <p>Decoding is strict about types (W3): a present field of the wrong JSON type makes the
 * whole message invalid. JSON {@code null} counts as absent, as it does for Go's decoder,
 * so {@code "replace":null} (which the reference client sends) is accepted. Unknown
 * fields are ignored. Encoding omits empty fields except where W4 says otherwise.
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    /** Thrown for text that is not a JSON object of the message schema. */
    public static final class MalformedMessageException extends Exception {
        /**
         * Creates the exception.
         *
         * @param message what is wrong, naming the field (e.g. "field group must be a string")
         */
        public MalformedMessageException(String message) {
            super(message);
        }
    }

    /**
     * Decodes the text of one WebSocket frame.
     *
     * @param text the frame's text
     * @return the message; absent fields are null (false for booleans)
     * @throws MalformedMessageException when the text is not JSON, not an object, or has a
     *                                   field of the wrong type
     */
    public static Message decode(String text) throws MalformedMessageException {
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("invalid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException("a message must be a JSON object");
        }
        return decode((ObjectNode) root);
    }

    /**
     * Decodes a message already parsed as JSON.
     *
     * @param o the message object
     * @return the message; absent fields are null (false for booleans)
     * @throws MalformedMessageException when a field has the wrong type
     */
    public static Message decode(ObjectNode o) throws MalformedMessageException {
        return new Message(
                string(o, "type"), string(o, "kind"), string(o, "error"), string(o, "id"),
                string(o, "replace"), string(o, "source"), string(o, "dest"), string(o, "username"),
                string(o, "password"), string(o, "token"), stringList(o, "version"),
                bool(o, "privileged"), stringList(o, "permissions"), object(o, "status"),
                object(o, "data"), string(o, "group"), present(o, "value"), bool(o, "noecho"),
                string(o, "time"), string(o, "sdp"), string(o, "label"), candidate(o),
                present(o, "request"), object(o, "rtcConfiguration"));
    }

    private static JsonNode present(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n;
    }

    private static String string(ObjectNode o, String field) throws MalformedMessageException {
        JsonNode n = present(o, field);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw new MalformedMessageException("field " + field + " must be a string");
        }
        return n.asText();
    }

    private static boolean bool(ObjectNode o, String field) throws MalformedMessageException {
        JsonNode n = present(o, field);
        if (n == null) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new MalformedMessageException("field " + field + " must be a boolean");
        }
        return n.booleanValue();
    }

    private static ObjectNode object(ObjectNode o, String field) throws MalformedMessageException {
        JsonNode n = present(o, field);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw new MalformedMessageException("field " + field + " must be an object");
        }
        return (ObjectNode) n;
    }

    private static List<String> stringList(ObjectNode o, String field) throws MalformedMessageException {
        JsonNode n = present(o, field);
        if (n == null) {
            return null;
        }
        return stringList(n, field);
    }

    /**
     * Reads a JSON array of strings; {@code null} elements become "" as in Go. Also used for
     * the string lists nested in a field, such as the per-label lists of a {@code request}.
     *
     * @param n    the array
     * @param what the field's name, for the error message
     * @return the strings, unmodifiable
     * @throws MalformedMessageException when {@code n} is not an array, or holds something
     *                                   other than strings and nulls
     */
    public static List<String> stringList(JsonNode n, String what) throws MalformedMessageException {
        if (!n.isArray()) {
            throw new MalformedMessageException(what + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (e.isNull()) {
                out.add("");
            } else if (e.isTextual()) {
                out.add(e.asText());
            } else {
                throw new MalformedMessageException(what + " must be an array of strings");
            }
        }
        return List.copyOf(out);
    }

    private static Message.Candidate candidate(ObjectNode o) throws MalformedMessageException {
        ObjectNode c = object(o, "candidate");
        if (c == null) {
            return null;
        }
        JsonNode index = present(c, "sdpMLineIndex");
        if (index != null && !index.canConvertToInt()) {
            throw new MalformedMessageException("field candidate.sdpMLineIndex must be an integer");
        }
        return new Message.Candidate(string(c, "candidate"), string(c, "sdpMid"),
                index == null ? null : index.intValue(), string(c, "usernameFragment"));
    }

    /**
     * Encodes a message as the text of one WebSocket frame.
     *
     * @param m the message
     * @return compact JSON, empty fields omitted
     */
    public static String encode(Message m) {
        return Json.write(toJson(m));
    }

    /**
     * Encodes a message as a JSON object, empty fields omitted: null or "" strings, empty
     * lists and objects, false booleans. {@code username} is kept when "" (W5), and
     * {@code rtcConfiguration} whenever it is set (J12).
     *
     * @param m the message
     * @return a new object
     */
    public static ObjectNode toJson(Message m) {
        ObjectNode o = Json.object();
        putString(o, "type", m.type());
        putString(o, "kind", m.kind());
        putString(o, "error", m.error());
        putString(o, "id", m.id());
        putString(o, "replace", m.replace());
        putString(o, "source", m.source());
        putString(o, "dest", m.dest());
        if (m.username() != null) {
            o.put("username", m.username());
        }
        putString(o, "password", m.password());
        putString(o, "token", m.token());
        putList(o, "version", m.version());
        if (m.privileged()) {
            o.put("privileged", true);
        }
        putList(o, "permissions", m.permissions());
        putObject(o, "status", m.status());
        putObject(o, "data", m.data());
        putString(o, "group", m.group());
        if (m.value() != null && !m.value().isNull()) {
            o.set("value", m.value());
        }
        if (m.noecho()) {
            o.put("noecho", true);
        }
        putString(o, "time", m.time());
        putString(o, "sdp", m.sdp());
        putString(o, "label", m.label());
        if (m.candidate() != null) {
            ObjectNode c = o.putObject("candidate");
            Message.Candidate cand = m.candidate();
            c.put("candidate", cand.candidate() == null ? "" : cand.candidate());
            if (cand.sdpMid() != null) {
                c.put("sdpMid", cand.sdpMid());
            }
            if (cand.sdpMLineIndex() != null) {
                c.put("sdpMLineIndex", cand.sdpMLineIndex());
            }
            if (cand.usernameFragment() != null) {
                c.put("usernameFragment", cand.usernameFragment());
            }
        }
        if (m.request() != null && !m.request().isNull()) {
            o.set("request", m.request());
        }
        if (m.rtcConfiguration() != null) {
            // always present when set (J12), even if empty
            o.set("rtcConfiguration", m.rtcConfiguration());
        }
        return o;
    }

    private static void putString(ObjectNode o, String field, String value) {
        if (value != null && !value.isEmpty()) {
            o.put(field, value);
        }
    }

    private static void putList(ObjectNode o, String field, List<String> value) {
        if (value != null && !value.isEmpty()) {
            o.set(field, Json.strings(value));
        }
    }

    private static void putObject(ObjectNode o, String field, ObjectNode value) {
        if (value != null && !value.isEmpty()) {
            o.set(field, value);
        }
    }

}
