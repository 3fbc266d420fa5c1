package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Builders for protocol messages and common join sequences used by the conformance tests. */
final class Proto {
    static final Duration SHORT = Duration.ofMillis(300);
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Proto() {
    }

    /** A fresh name, so that tests sharing a server never share a group or client id. */
    static String unique(String prefix) {
        return prefix + SEQ.incrementAndGet();
    }

    /** A JSON object from alternating keys and values; values may be strings, numbers, booleans, nodes, lists, maps or null. */
    static ObjectNode obj(Object... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of arguments");
        }
        ObjectNode o = Json.object();
        for (int i = 0; i < kv.length; i += 2) {
            o.set((String) kv[i], node(kv[i + 1]));
        }
        return o;
    }

    static JsonNode node(Object v) {
        return switch (v) {
            case null -> Json.MAPPER.nullNode();
            case JsonNode n -> n;
            case String s -> Json.text(s);
            case Boolean b -> Json.MAPPER.getNodeFactory().booleanNode(b);
            case Integer i -> Json.MAPPER.getNodeFactory().numberNode(i);
            case Long l -> Json.MAPPER.getNodeFactory().numberNode(l);
            case Double d -> Json.MAPPER.getNodeFactory().numberNode(d);
            case Collection<?> c -> {
                ArrayNode a = Json.array();
                c.forEach(e -> a.add(node(e)));
                yield a;
            }
            case Map<?, ?> m -> {
                ObjectNode o = Json.object();
                m.forEach((k, e) -> o.set((String) k, node(e)));
                yield o;
            }
            default -> throw new IllegalArgumentException("unsupported " + v.getClass());
        };
    }

    /** The message text of {@link #obj}. */
    static String msg(Object... kv) {
        return Json.write(obj(kv));
    }

    static String join(String group, String username, String password) {
        return msg("type", "join", "kind", "join", "group", group, "username", username, "password", password);
    }

    static String tokenJoin(String group, String token) {
        return msg("type", "join", "kind", "join", "group", group, "token", token);
    }

    static String leave(String group) {
        return msg("type", "join", "kind", "leave", "group", group);
    }

    /** Sends a join and returns the {@code joined} reply. */
    static JsonNode joinReply(WsClient c, String joinMessage) {
        c.send(joinMessage);
        return c.expectType("joined");
    }

    /** Sends a join that must succeed and consumes up to the client's own {@code user add}. */
    static JsonNode joinOk(WsClient c, String id, String joinMessage) {
        JsonNode joined = joinReply(c, joinMessage);
        if (!"join".equals(joined.path("kind").asText())) {
            throw new AssertionError("join failed: " + joined);
        }
        c.expectMatching(m -> isUser(m, "add", id));
        return joined;
    }

    /** Handshakes and joins; returns the client positioned after its own {@code user add}. */
    static WsClient joined(TestServer server, String id, String joinMessage) {
        WsClient c = server.handshake(id);
        joinOk(c, id, joinMessage);
        return c;
    }

    static boolean isUser(JsonNode m, String kind, String id) {
        return "user".equals(m.path("type").asText()) && kind.equals(m.path("kind").asText())
                && id.equals(m.path("id").asText());
    }

    static boolean isType(JsonNode m, String type, String kind) {
        return type.equals(m.path("type").asText()) && (kind == null || kind.equals(m.path("kind").asText()));
    }

    /** Waits for the next UserError on this client and returns its text. */
    static String nextError(WsClient c) {
        JsonNode e = c.expectMatching(m -> isType(m, "usermessage", "error"));
        return e.path("value").asText();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> types(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("type").asText() + "/" + m.path("kind").asText()).toList();
    }

    static void writeGroup(TestServer server, String name, String json) {
        try {
            server.files().group(name, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new group with an op {@code op/op}, a presenter {@code bob/bob} and the wildcard password {@code any}. */
    static String standardGroup(TestServer server, String extraFields) {
        String name = unique("g");
        writeGroup(server, name, """
                {%s"users": {"op": {"password": "op", "permissions": "op"},
                           "bob": {"password": "bob", "permissions": "present"}},
                 "wildcard-user": {"password": "any", "permissions": "message"}}
                """.formatted(extraFields.isEmpty() ? "" : extraFields + ","));
        return name;
    }
}
