package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCommandsTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final List<String> OP = List.of("op", "present", "message", "caption", "token");

    @TempDir
    Path dir;
    private MutableClock clock;
    private TokenStore store;
    private TokenCommands commands;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(NOW);
        store = new TokenStore(dir.resolve("var/tokens.jsonl"), clock);
        commands = new TokenCommands(store, clock);
    }

    private static JsonNode json(String s) throws Exception {
        return Json.parse(s);
    }

    private TokenCommands.TokenReply make(String value, List<String> perms) throws Exception {
        return commands.make(json(value), "g", "alice", perms, Set.of("taken"));
    }

    private static void assertError(TokenCommands.TokenReply r, String error, String message) {
        assertThat(r.error()).isEqualTo(error);
        assertThat(r.value().asText()).isEqualTo(message);
    }

    @Test
    void T2_requiresTokenPermission() throws Exception {
        assertError(make("{\"group\":\"g\",\"expires\":1000}", List.of("op", "present")), "not-authorised",
                "not authorised");
    }

    @Test
    void T2_typeErrors() throws Exception {
        assertError(make("[]", OP), "error", "bad token value");
        assertError(make("\"x\"", OP), "error", "bad token value");
        assertError(make("{\"group\":3}", OP), "error", "bad string value");
        assertError(make("{\"username\":true}", OP), "error", "bad string value");
        assertError(make("{\"group\":\"g\",\"permissions\":\"op\"}", OP), "error", "bad string list");
        assertError(make("{\"group\":\"g\",\"permissions\":[1]}", OP), "error", "bad string list");
        assertError(make("{\"group\":\"g\",\"expires\":\"tomorrow\"}", OP), "error", "bad time value");
        assertError(make("{\"group\":\"g\",\"expires\":1000,\"not-before\":true}", OP), "error", "bad time value");
        // Type errors are found before the T3 checks: token is read first, then username.
        assertError(make("{\"token\":\"x\",\"username\":1}", OP), "error", "bad string value");
    }

    @Test
    void T3_checksInOrder() throws Exception {
        assertError(make("{\"token\":\"mine\",\"group\":\"other\"}", OP), "error", "client specified token");
        assertError(make("{\"group\":\"other\"}", OP), "error", "wrong group in token");
        assertError(make("{}", OP), "error", "wrong group in token");
        assertError(make("{\"group\":\"g\",\"username\":\"taken\"}", OP), "error", "token doesn't expire");
        assertError(make("{\"group\":\"g\",\"expires\":1000,\"username\":\"taken\",\"permissions\":[\"admin\"]}", OP),
                "error", "that username is taken");
        assertError(make("{\"group\":\"g\",\"expires\":1000,\"permissions\":[\"present\",\"record\"]}", OP),
                "not-authorised", "not authorised");
        assertThat(store.listAll()).isEmpty();
    }

    @Test
    void T4_createsAndStoresToken() throws Exception {
        TokenCommands.TokenReply r = make(
                "{\"group\":\"g\",\"expires\":86400000,\"permissions\":[\"present\"],\"username\":\"bob\"}", OP);
        assertThat(r.error()).isNull();
        JsonNode v = r.value();
        String name = v.get("token").asText();
        assertThat(name).hasSize(11).matches("[A-Za-z0-9_-]{11}");
        assertThat(v.get("group").asText()).isEqualTo("g");
        assertThat(v.has("includeSubgroups")).isFalse();
        assertThat(v.get("username").asText()).isEqualTo("bob");
        assertThat(v.get("permissions")).isEqualTo(json("[\"present\"]"));
        assertThat(v.get("expires").asText()).isEqualTo("2026-05-02T10:00:00Z");
        assertThat(v.get("issuedAt").asText()).isEqualTo("2026-05-01T10:00:00Z");
        assertThat(v.get("issuedBy").asText()).isEqualTo("alice");
        assertThat(store.get(name)).map(StatefulToken::toJson).contains((com.fasterxml.jackson.databind.node.ObjectNode) v);

        TokenCommands.TokenReply second = make("{\"group\":\"g\",\"expires\":\"2026-06-01T00:00:00Z\"}", OP);
        assertThat(second.value().get("token").asText()).isNotEqualTo(name);
        assertThat(second.value().get("permissions").isNull()).isTrue();
        assertThat(second.value().has("username")).isFalse();
    }

    @Test
    void T4_anonymousIssuerIsOmitted() throws Exception {
        TokenCommands.TokenReply r = commands.make(json("{\"group\":\"g\",\"expires\":1}"), "g", "", OP, Set.of());
        assertThat(r.value().has("issuedBy")).isFalse();
    }

    @Test
    void T5_editRequiresOpAndToken() throws Exception {
        assertError(commands.edit(json("{\"token\":\"x\",\"expires\":1}"), List.of("token", "present")),
                "not-authorised", "not authorised");
        assertError(commands.edit(json("{\"token\":\"x\",\"expires\":1}"), List.of("op")),
                "not-authorised", "not authorised");
    }

    @Test
    void T5_onlyTimesCanBeEdited() throws Exception {
        String name = make("{\"group\":\"g\",\"expires\":1000}", OP).value().get("token").asText();
        for (String extra : List.of("\"group\":\"g\"", "\"username\":\"\"", "\"permissions\":[]")) {
            assertError(commands.edit(json("{\"token\":\"" + name + "\"," + extra + "}"), OP), "error",
                    "this field cannot be edited");
        }
        assertThat(commands.edit(json("{\"token\":\"" + name + "\",\"group\":\"\"}"), OP).error()).isNull();
    }

    @Test
    void T6_editMissingToken() throws Exception {
        assertError(commands.edit(json("{\"token\":\"nope\",\"expires\":1000}"), OP), "error", "file does not exist");
    }

    @Test
    void T6_T7_editReplacesTimesAndRevokes() throws Exception {
        String name = make("{\"group\":\"g\",\"expires\":1000}", OP).value().get("token").asText();
        TokenCommands.TokenReply r = commands.edit(
                json("{\"token\":\"" + name + "\",\"not-before\":\"2026-05-01T11:00:00+01:00\"}"), OP);
        assertThat(r.error()).isNull();
        assertThat(r.value().get("not-before").asText()).isEqualTo("2026-05-01T10:00:00Z");
        assertThat(r.value().get("expires").asText()).isEqualTo("2026-05-01T10:00:01Z");

        // T7: the reference client revokes with expires one second ago.
        TokenCommands.TokenReply revoked = commands.edit(json("{\"token\":\"" + name + "\",\"expires\":-1000}"), OP);
        assertThat(revoked.value().get("expires").asText()).isEqualTo("2026-05-01T09:59:59Z");
        assertThat(store.get(name).orElseThrow().validFor("g", NOW)).isFalse();
    }

    @Test
    void T8_listRequiresOpAndTokenAndFiltersGroup() throws Exception {
        assertError(commands.list("g", List.of("token")), "not-authorised", "not authorised");
        make("{\"group\":\"g\",\"expires\":5000}", OP);
        make("{\"group\":\"g\",\"expires\":1000}", OP);
        commands.make(json("{\"group\":\"h\",\"expires\":1000}"), "h", "alice", OP, Set.of());
        store.add(new StatefulToken("forever", "g", false, null, null, null, null, null, null));
        TokenCommands.TokenReply r = commands.list("g", OP);
        assertThat(r.error()).isNull();
        assertThat(r.value().size()).isEqualTo(3);
        assertThat(r.value().get(0).get("token").asText()).isEqualTo("forever");
        assertThat(r.value().get(1).get("expires").asText()).isEqualTo("2026-05-01T10:00:01Z");
        assertThat(r.value().get(2).get("expires").asText()).isEqualTo("2026-05-01T10:00:05Z");
        assertThat(commands.list("none", OP).value().isArray()).isTrue();
        assertThat(commands.list("none", OP).value().size()).isZero();
    }

    @Test
    void T9_protocolTokensAreNotHierarchical() throws Exception {
        String name = make("{\"group\":\"g\",\"expires\":1000,\"includeSubgroups\":true}", OP)
                .value().get("token").asText();
        assertThat(store.get(name).orElseThrow().includeSubgroups()).isFalse();
        clock.advance(Duration.ofMillis(500));
        assertThat(store.get(name).orElseThrow().validFor("g/sub", clock.instant())).isFalse();
    }

    @Test
    void D10_tokenMadeOverTheProtocolAuthorisesAJoin() throws Exception {
        String name = make("{\"group\":\"g\",\"expires\":60000,\"permissions\":[\"present\",\"message\"]}", OP)
                .value().get("token").asText();
        Authoriser authoriser = new Authoriser(store, () -> null, clock);
        AuthPolicy policy = new AuthPolicy(java.util.Map.of(), null, List.of(), false, false);
        // The reference client first probes without a username, then asks the user for one.
        assertThat(authoriser.authorise("g", policy, null, null, name)).isEqualTo(new AuthResult.NeedUsername());
        assertThat(authoriser.authorise("g", policy, "carol", null, name))
                .isEqualTo(new AuthResult.Granted("carol", List.of("present", "message")));
        commands.edit(json("{\"token\":\"" + name + "\",\"expires\":-1000}"), OP);
        assertThat(authoriser.authorise("g", policy, "carol", null, name)).isEqualTo(new AuthResult.Denied());
    }
}
