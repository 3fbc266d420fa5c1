package dev.parley.server.auth;

import dev.parley.protocol.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserDescriptionTest {

    @Test
    void DF3_bothPartsOptional() throws Exception {
        UserDescription d = UserDescription.parse(Json.parse("{}"));
        assertThat(d.password().matches("")).isFalse();
        assertThat(d.permissions()).isNull();
        assertThat(Permissions.expand(d.permissions(), true, true)).isEmpty();
        assertThat(d.toJson()).isEqualTo(Json.parse("{}"));
    }

    @Test
    void DF3_parsesPasswordAndPermissions() throws Exception {
        UserDescription d = UserDescription.parse(Json.parse("{\"password\":\"pw\",\"permissions\":\"op\"}"));
        assertThat(d.password().matches("pw")).isTrue();
        assertThat(d.permissions().asText()).isEqualTo("op");
        assertThat(d.toJson()).isEqualTo(Json.parse("{\"password\":\"pw\",\"permissions\":\"op\"}"));
        assertThat(d.toJsonWithoutPassword()).isEqualTo(Json.parse("{\"permissions\":\"op\"}"));
    }

    @Test
    void G3_strictDecoding() {
        String[] invalid = {
            "{\"password\":\"pw\",\"extra\":1}",
            "{\"permissions\":\"superuser\"}",
            "{\"permissions\":7}",
            "{\"password\":7}",
            "[]",
            "\"op\"",
        };
        for (String text : invalid) {
            assertThatThrownBy(() -> UserDescription.parse(Json.parse(text))).as(text)
                    .isInstanceOf(InvalidDescriptionException.class);
        }
    }

    @Test
    void D5_malformedPasswordStillParses() throws Exception {
        UserDescription d = UserDescription.parse(Json.parse("{\"password\":{\"type\":\"bogus\"}}"));
        assertThatThrownBy(() -> d.password().matches("x")).isInstanceOf(MalformedPasswordException.class);
    }
}
