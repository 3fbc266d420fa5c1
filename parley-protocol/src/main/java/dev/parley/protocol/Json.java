package dev.parley.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.List;

/** The one shared Jackson mapper and small helpers for building JSON trees. */
public final class Json {
    /** Jackson's default configuration; shared because a mapper is costly to build and thread-safe once built. */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    /**
     * A new, empty JSON object, for message fields such as {@code data} or {@code value}.
     *
     * @return the object
     */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /**
     * A new, empty JSON array.
     *
     * @return the array
     */
    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /**
     * A JSON string, e.g. the {@code value} of a kick or a lock.
     *
     * @param s the text
     * @return the string node; JSON null for a null {@code s}
     */
    public static TextNode text(String s) {
        return NODES.textNode(s);
    }

    /**
     * A JSON array of strings, e.g. a {@code request}'s list of track kinds.
     *
     * @param values the strings, in order
     * @return a new array
     */
    public static ArrayNode strings(List<String> values) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }

    /**
     * Parses JSON text of any shape.
     *
     * @param text the JSON text
     * @return the tree; null for empty input
     * @throws JsonProcessingException when {@code text} is not valid JSON
     */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /**
     * Writes a tree as compact JSON text.
     *
     * @param node the tree
     * @return the JSON text
     */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
