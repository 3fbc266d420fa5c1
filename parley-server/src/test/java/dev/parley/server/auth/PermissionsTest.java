package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PermissionsTest {

    private static JsonNode json(String text) throws Exception {
        return Json.parse(text);
    }

    private static List<String> expand(String text, boolean rec, boolean tokens) throws Exception {
        return Permissions.expand(json(text), rec, tokens);
    }

    @Test
    void P2_namedSetsExpandInOrder() throws Exception {
        assertThat(expand("\"op\"", false, false)).containsExactly("op", "present", "message", "caption", "token");
        assertThat(expand("\"present\"", false, false)).containsExactly("present", "message");
        assertThat(expand("\"message\"", false, false)).containsExactly("message");
        assertThat(expand("\"observe\"", false, false)).isEmpty();
        assertThat(expand("\"caption\"", false, false)).containsExactly("caption");
        assertThat(expand("\"admin\"", false, false)).containsExactly("admin");
    }

    @Test
    void P2_unknownNamesAndTypesAreErrors() {
        for (String text : new String[] {"\"record\"", "\"Op\"", "\"\"", "42", "{}", "true", "[1]"}) {
            assertThatThrownBy(() -> Permissions.validate(json(text))).as(text)
                    .isInstanceOf(UnknownPermissionException.class);
        }
    }

    @Test
    void P2_missingMeansNone() throws Exception {
        assertThat(Permissions.expand(null, true, true)).isEmpty();
        assertThat(expand("null", true, true)).isEmpty();
        assertThat(Permissions.expand(null, false, false)).isInstanceOf(java.util.ArrayList.class);
    }

    @Test
    void P2_REF_DEFECT_expansionsAreNotShared() throws Exception {
        List<String> first = expand("\"present\"", false, false);
        first.remove("present");
        first.add("message");
        assertThat(expand("\"present\"", false, false)).containsExactly("present", "message");

        JsonNode array = json("[\"present\"]");
        List<String> fromArray = Permissions.expand(array, false, false);
        fromArray.clear();
        assertThat(Permissions.expand(array, false, false)).containsExactly("present");
        assertThat(array.size()).isEqualTo(1);
    }

    @Test
    void P3_augmentationsArePrepended() throws Exception {
        assertThat(expand("\"op\"", true, false))
                .containsExactly("record", "op", "present", "message", "caption", "token");
        assertThat(expand("\"present\"", false, true)).containsExactly("token", "present", "message");
        assertThat(expand("\"op\"", true, true))
                .containsExactly("record", "op", "present", "message", "caption", "token");
        assertThat(expand("\"message\"", true, true)).containsExactly("message");
        assertThat(expand("\"observe\"", true, true)).isEmpty();
    }

    @Test
    void P4_arraysAreVerbatim() throws Exception {
        assertThat(expand("[\"op\"]", true, true)).containsExactly("op");
        assertThat(expand("[\"present\",\"present\",\"anything\"]", true, true))
                .containsExactly("present", "present", "anything");
        assertThat(expand("[]", true, true)).isEmpty();
    }

    @Test
    void includesAdminForH45() throws Exception {
        assertThat(Permissions.includes(json("\"admin\""), "admin")).isTrue();
        assertThat(Permissions.includes(json("[\"admin\"]"), "admin")).isTrue();
        assertThat(Permissions.includes(json("\"op\""), "admin")).isFalse();
        assertThat(Permissions.includes(json("\"bogus\""), "admin")).isFalse();
    }
}
