package dev.parley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.RawHttp.Response;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Spec A.4 and A.5: {@code .status} (H24–H29) and {@code /public-groups.json} (H30–H32). */
class GroupStatusTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> {
            f.group("private", """
                    {"displayName": "Private", "description": "Not listed",
                     "authServer": "https://auth.example.org/", "authPortal": "https://portal.example.org/",
                     "users": {"op": {"password": "pw", "permissions": "op"}}}""");
            f.group("pub", """
                    {"public": true, "description": "Listed",
                     "users": {"op": {"password": "pw", "permissions": "op"}}}""");
            f.group("moved", """
                    {"public": true, "redirect": "https://elsewhere.example.org/", "displayName": "Moved",
                     "description": "Gone", "authServer": "https://auth.example.org/"}""");
            f.group("parent", """
                    {"public": true, "auto-subgroups": true, "description": "Parent description",
                     "displayName": "Parent"}""");
            f.group("broken", "{\"public\": true,");
            f.group("unknownkey", "{\"public\": true, \"bogus\": 1}");
            f.group("B-upper", "{\"public\": true}");
            f.group("with space/\u00e9t\u00e9", "{}");
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response get(String target) {
        return RawHttp.to(server).target(target).send();
    }

    private static JsonNode json(Response r) throws Exception {
        return Json.parse(r.text());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "OPTIONS"})
    void H24_anyMethodGetsJsonAndANewline(String method) throws Exception {
        Response r = RawHttp.to(server).method(method).target("/group/pub/.status").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.text()).endsWith("}\n");
        assertThat(json(r).path("name").asText()).isEqualTo("pub");
    }

    @Test
    void H24_headHasHeadersOnly() {
        Response r = RawHttp.to(server).method("HEAD").target("/group/pub/.status").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void H24_unknownGroupIs404() {
        assertThat(get("/group/unknown/.status").status()).isEqualTo(404);
    }

    @Test
    void H25_invalidDescriptionIs500() {
        assertThat(get("/group/broken/.status").status()).isEqualTo(500);
        assertThat(get("/group/unknownkey/.status").status()).isEqualTo(500);
    }

    @Test
    void H26_nonPublicGroupHidesCountAndLock() throws Exception {
        JsonNode s = json(get("/group/private/.status"));
        String base = "http://127.0.0.1:" + server.port();
        assertThat(fieldNames(s)).containsExactlyInAnyOrder(
                "name", "location", "endpoint", "displayName", "description", "authServer", "authPortal");
        assertThat(s.path("location").asText()).isEqualTo(base + "/group/private/");
        assertThat(s.path("endpoint").asText()).isEqualTo("ws://127.0.0.1:" + server.port() + "/ws");
        assertThat(s.path("displayName").asText()).isEqualTo("Private");
        assertThat(s.path("description").asText()).isEqualTo("Not listed");
        assertThat(s.path("authServer").asText()).isEqualTo("https://auth.example.org/");
        assertThat(s.path("authPortal").asText()).isEqualTo("https://portal.example.org/");
    }

    @Test
    void H26_emptyFieldsAreOmitted() throws Exception {
        JsonNode s = json(get("/group/B-upper/.status"));
        assertThat(fieldNames(s)).containsExactlyInAnyOrder("name", "location", "endpoint", "clientCount");
    }

    @Test
    void H26_publicGroupShowsCountAndLock() throws Exception {
        JsonNode before = json(get("/group/pub/.status"));
        assertThat(before.path("clientCount").isInt()).isTrue();
        assertThat(before.path("clientCount").asInt()).isZero();
        assertThat(before.has("locked")).isFalse();
        assertThat(before.has("canChangePassword")).isFalse();
        try (WsClient op = server.join("status-op", "pub", "op", "pw")) {
            assertThat(json(get("/group/pub/.status")).path("clientCount").asInt()).isEqualTo(1);
            op.send("{\"type\":\"groupaction\",\"kind\":\"lock\",\"source\":\"status-op\",\"value\":\"closed\"}");
            JsonNode locked = awaitStatus("pub", s -> s.path("locked").asBoolean());
            assertThat(locked.path("locked").asBoolean()).isTrue();
            assertThat(locked.has("canChangePassword")).isFalse();
            op.send("{\"type\":\"groupaction\",\"kind\":\"unlock\",\"source\":\"status-op\"}");
            awaitStatus("pub", s -> !s.has("locked"));
        }
    }

    @Test
    void H26_nonPublicGroupNeverShowsItsCount() throws Exception {
        try (WsClient op = server.join("private-op", "private", "op", "pw")) {
            JsonNode s = json(get("/group/private/.status"));
            assertThat(s.has("clientCount")).isFalse();
            assertThat(s.has("locked")).isFalse();
        }
    }

    private static JsonNode awaitStatus(String group, java.util.function.Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        JsonNode s;
        do {
            s = json(get("/group/" + group + "/.status"));
            if (condition.test(s)) {
                return s;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("status never matched: " + s);
    }

    @ParameterizedTest
    @CsvSource({
            "https://b.org, https://b.org/group/pub/, wss://b.org/ws",
            "http://b.org, http://b.org/group/pub/, ws://b.org/ws",
            "https://b.org/galene/, https://b.org/galene/group/pub/, wss://b.org/galene/ws",
            "https://b.org:8443/prefix, https://b.org:8443/prefix/group/pub/, wss://b.org:8443/prefix/ws",
    })
    void H27_proxyUrlOverridesTheBase(String proxyURL, String location, String endpoint) throws Exception {
        try (TestServer s = TestServer.start(f -> {
            f.group("pub", "{\"public\": true}");
            f.data("config.json", "{\"proxyURL\": \"" + proxyURL + "\"}");
        })) {
            JsonNode status = Json.parse(RawHttp.to(s).target("/group/pub/.status").header("Host", "a.org").send().text());
            assertThat(status.path("location").asText()).isEqualTo(location);
            assertThat(status.path("endpoint").asText()).isEqualTo(endpoint);
            JsonNode listed = Json.parse(RawHttp.to(s).target("/public-groups.json").header("Host", "a.org").send().text());
            assertThat(listed.get(0).path("location").asText()).isEqualTo(location);
        }
    }

    @Test
    void H26_locationIsEscaped() throws Exception {
        JsonNode s = json(get("/group/with%20space/%C3%A9t%C3%A9/.status"));
        assertThat(s.path("name").asText()).isEqualTo("with space/\u00e9t\u00e9");
        assertThat(s.path("location").asText())
                .isEqualTo("http://127.0.0.1:" + server.port() + "/group/with%20space/%C3%A9t%C3%A9/");
        Response page = get("/group/with%20space/%C3%A9t%C3%A9");
        assertThat(page.status()).isEqualTo(308);
        assertThat(page.header("Location")).isEqualTo("/group/with%20space/%C3%A9t%C3%A9/");
    }

    @Test
    void H27_baseUsesTheRequestHost() throws Exception {
        JsonNode s = json(RawHttp.to(server).target("/group/pub/.status").header("Host", "A.example.org:1234").send());
        assertThat(s.path("location").asText()).isEqualTo("http://A.example.org:1234/group/pub/");
        assertThat(s.path("endpoint").asText()).isEqualTo("ws://A.example.org:1234/ws");
    }

    @Test
    void H28_redirectGroupStatusHasOnlyFourFields() throws Exception {
        Response r = get("/group/moved/.status");
        assertThat(r.status()).isEqualTo(200);
        JsonNode s = json(r);
        assertThat(fieldNames(s)).containsExactlyInAnyOrder("name", "redirect", "displayName", "description");
        assertThat(s.path("redirect").asText()).isEqualTo("https://elsewhere.example.org/");
    }

    @Test
    void H29_autoSubgroupHasNoDescriptionAndIsNotPublic() throws Exception {
        JsonNode s = json(get("/group/parent/sub/.status"));
        assertThat(s.path("name").asText()).isEqualTo("parent/sub");
        assertThat(s.path("displayName").asText()).isEqualTo("Parent");
        assertThat(s.has("description")).isFalse();
        assertThat(s.has("clientCount")).isFalse();
        assertThat(s.path("location").asText()).endsWith("/group/parent/sub/");
        JsonNode listed = json(get("/public-groups.json"));
        for (JsonNode g : listed) {
            assertThat(g.path("name").asText()).isNotEqualTo("parent/sub");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "DELETE"})
    void H30_publicGroupsAcceptsAnyMethod(String method) throws Exception {
        Response r = RawHttp.to(server).method(method).target("/public-groups.json").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(json(r).isArray()).isTrue();
        assertThat(r.text()).endsWith("\n");
    }

    @Test
    void H30_headHasHeadersOnly() {
        Response r = RawHttp.to(server).method("HEAD").target("/public-groups.json").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void H30_emptyListIsAnEmptyArray() throws Exception {
        try (TestServer s = TestServer.start(f -> f.group("secret", "{}"))) {
            assertThat(RawHttp.to(s).target("/public-groups.json").send().text().trim()).isEqualTo("[]");
        }
    }

    @Test
    void H30_H31_listsPublicGroupsSortedByNameWithStatusObjects() throws Exception {
        JsonNode listed = json(get("/public-groups.json"));
        List<String> names = new ArrayList<>();
        listed.forEach(g -> names.add(g.path("name").asText()));
        // Byte order: upper case before lower case. Broken descriptions are never loaded.
        assertThat(names).containsExactly("B-upper", "moved", "parent", "pub");
        for (JsonNode g : listed) {
            if (g.path("name").asText().equals("moved")) {
                assertThat(fieldNames(g)).containsExactlyInAnyOrder("name", "redirect", "displayName", "description");
            } else {
                assertThat(g.path("clientCount").isInt()).as(g.toString()).isTrue();
                assertThat(g.path("location").asText()).endsWith("/group/" + g.path("name").asText() + "/");
            }
        }
    }

    @Test
    void H30_namesSortInUtf8ByteOrder() throws Exception {
        // U+FF21 sorts after U+1F600 in UTF-16 order but before it in UTF-8 byte order.
        String fullwidth = "\uFF21";
        String emoji = "\uD83D\uDE00";
        try (TestServer s = TestServer.start(f -> {
            f.group(emoji, "{\"public\": true}");
            f.group(fullwidth, "{\"public\": true}");
            f.group("z", "{\"public\": true}");
        })) {
            JsonNode listed = Json.parse(RawHttp.to(s).target("/public-groups.json").send().text());
            List<String> names = new ArrayList<>();
            listed.forEach(g -> names.add(g.path("name").asText()));
            assertThat(names).containsExactly("z", fullwidth, emoji);
        }
    }

    @Test
    void H31_lockedPublicGroupIsListedAsLocked() throws Exception {
        try (WsClient op = server.join("list-op", "pub", "op", "pw")) {
            op.send("{\"type\":\"groupaction\",\"kind\":\"lock\",\"source\":\"list-op\",\"value\":\"x\"}");
            awaitStatus("pub", s -> s.path("locked").asBoolean());
            JsonNode pub = null;
            for (JsonNode g : json(get("/public-groups.json"))) {
                if (g.path("name").asText().equals("pub")) {
                    pub = g;
                }
            }
            assertThat(pub).isNotNull();
            assertThat(pub.path("locked").asBoolean()).isTrue();
            assertThat(pub.path("clientCount").asInt()).isEqualTo(1);
            op.send("{\"type\":\"groupaction\",\"kind\":\"unlock\",\"source\":\"list-op\"}");
            awaitStatus("pub", s -> !s.has("locked"));
        }
    }

    @Test
    void H32_publicGroupsAreLoadedAtStartupAndNewOnesOnFirstAccess() throws Exception {
        // "pub" was never accessed over HTTP or WebSocket before this list in a fresh server.
        try (TestServer s = TestServer.start(f -> f.group("early", "{\"public\": true}"))) {
            assertThat(RawHttp.to(s).target("/public-groups.json").send().text()).contains("\"early\"");
            s.files().group("late", "{\"public\": true}");
            assertThat(RawHttp.to(s).target("/group/late/.status").send().status()).isEqualTo(200);
            assertThat(RawHttp.to(s).target("/public-groups.json").send().text()).contains("\"late\"");
        }
    }
}
