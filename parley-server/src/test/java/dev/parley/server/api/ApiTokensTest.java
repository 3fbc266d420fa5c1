package dev.parley.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.server.auth.StatefulToken;
import dev.parley.server.testing.RawHttp.Response;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.parley.server.api.ApiFixture.root;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec A.8: stateful tokens (H58, H59). */
class ApiTokensTest {
    static final String API = "/galene-api/v0/.groups/";
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ApiFixture.start();
        server.files().group("t", "{}");
        server.files().group("t/child", "{}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> names(Response r) throws Exception {
        List<String> out = new ArrayList<>();
        Json.parse(r.text()).forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String create(String group, String body) {
        Response r = root(server, "POST", API + group + ".tokens/").body("application/json", body).send();
        assertThat(r.status()).isEqualTo(201);
        return r.header("Location");
    }

    @Test
    void H58_listTokensOfExactlyThatGroupByExpiry() throws Exception {
        String late = create("t/", "{\"permissions\": [\"present\"], \"expires\": \"2099-01-01T00:00:00Z\"}");
        String early = create("t/", "{\"permissions\": [\"present\"], \"expires\": \"2098-01-01T00:00:00Z\"}");
        String never = create("t/", "{\"permissions\": [\"present\"]}");
        String child = create("t/child/", "{\"expires\": \"2097-01-01T00:00:00Z\"}");
        Response r = root(server, "GET", API + "t/.tokens/").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("ETag")).isEqualTo(server.server().context().tokens().etag());
        List<String> listed = names(r);
        assertThat(listed).containsSubsequence(never, early, late).doesNotContain(child);
        assertThat(names(root(server, "GET", API + "t/child/.tokens/").send())).containsExactly(child);
    }

    @Test
    void H58_rootTokens() throws Exception {
        List<String> global = names(root(server, "GET", API + ".tokens/").send());
        assertThat(global).contains("global-admin", "expired-admin", "root-only-admin").doesNotContain("g-admin");
        String made = create("", "{\"includeSubgroups\": true, \"permissions\": [\"present\"], \"expires\": \"2099-01-01T00:00:00Z\"}");
        assertThat(server.server().context().tokens().get(made).orElseThrow().group()).isEmpty();
    }

    @Test
    void H58_postCreatesARandomlyNamedTokenStoredAsGiven() throws Exception {
        String name = create("t/", "{\"username\": \"u\", \"permissions\": [\"op\"], \"expires\": \"2099-01-01T00:00:00Z\","
                + " \"issuedBy\": \"someone\"}");
        assertThat(name).hasSize(11).matches("[A-Za-z0-9_-]+");
        StatefulToken t = server.server().context().tokens().get(name).orElseThrow();
        assertThat(t.group()).isEqualTo("t");
        assertThat(t.username()).isEqualTo("u");
        assertThat(t.permissions()).containsExactly("op");
        assertThat(t.issuedBy()).isEqualTo("someone");
        // No validation: a token without expiry is created, even if it can never be used.
        String noExpiry = create("t/", "{}");
        assertThat(server.server().context().tokens().get(noExpiry).orElseThrow().expires()).isNull();
    }

    @Test
    void H58_overspecifiedTokensAre400() {
        Response named = root(server, "POST", API + "t/.tokens/").body("application/json", "{\"token\": \"mine\"}").send();
        assertThat(named.status()).isEqualTo(400);
        assertThat(named.text().trim()).isEqualTo("overspecified token");
        Response grouped = root(server, "POST", API + "t/.tokens/").body("application/json", "{\"group\": \"t\"}").send();
        assertThat(grouped.status()).isEqualTo(400);
        assertThat(root(server, "POST", API + "t/.tokens/").body("text/plain", "{}").send().status()).isEqualTo(415);
    }

    @Test
    void H58_pathsAndMethods() {
        assertThat(root(server, "GET", API + "t/.tokens").send().status()).isEqualTo(404);
        assertThat(root(server, "GET", API + "missing/.tokens/").send().status()).isEqualTo(404);
        Response put = root(server, "PUT", API + "t/.tokens/").body("application/json", "{}").send();
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("OPTIONS, HEAD, GET, POST");
        Response post = root(server, "POST", API + "t/.tokens/x").body("application/json", "{}").send();
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("OPTIONS, HEAD, GET, PUT, DELETE");
    }

    @Test
    void H59_getHidesNameAndGroup() throws Exception {
        String name = create("t/", "{\"username\": \"v\", \"permissions\": [\"present\"], \"expires\": \"2099-01-01T00:00:00Z\"}");
        Response r = root(server, "GET", API + "t/.tokens/" + name).send();
        assertThat(r.status()).isEqualTo(200);
        JsonNode t = Json.parse(r.text());
        assertThat(t.has("token")).isTrue();
        assertThat(t.path("token").asText()).isEmpty();
        assertThat(t.has("group")).isTrue();
        assertThat(t.path("group").asText()).isEmpty();
        assertThat(t.path("username").asText()).isEqualTo("v");
        assertThat(r.header("ETag")).isEqualTo(server.server().context().tokens().etag());
        assertThat(root(server, "GET", API + "t/.tokens/" + name).header("If-None-Match", r.header("ETag")).send().status())
                .isEqualTo(304);
        // Another group's token is not visible here.
        assertThat(root(server, "GET", API + "t/child/.tokens/" + name).send().status()).isEqualTo(404);
        assertThat(root(server, "GET", API + "t/.tokens/no-such-token").send().status()).isEqualTo(404);
    }

    @Test
    void H59_putCreatesOrReplaces() throws Exception {
        Response created = root(server, "PUT", API + "t/.tokens/chosen-name")
                .body("application/json", "{\"permissions\": [\"present\"], \"expires\": \"2099-01-01T00:00:00Z\"}").send();
        assertThat(created.status()).isEqualTo(201);
        assertThat(server.server().context().tokens().get("chosen-name").orElseThrow().group()).isEqualTo("t");
        Response replaced = root(server, "PUT", API + "t/.tokens/chosen-name")
                .body("application/json", "{\"permissions\": [\"op\"], \"expires\": \"2099-01-01T00:00:00Z\"}").send();
        assertThat(replaced.status()).isEqualTo(204);
        assertThat(server.server().context().tokens().get("chosen-name").orElseThrow().permissions()).containsExactly("op");
    }

    @Test
    void H59_putChecks() {
        Response conflict = root(server, "PUT", API + "t/.tokens/g-admin").body("application/json", "{}").send();
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.text().trim()).isEqualTo("token exists in different group");
        Response over = root(server, "PUT", API + "t/.tokens/over").body("application/json", "{\"group\": \"t\"}").send();
        assertThat(over.status()).isEqualTo(400);
        assertThat(root(server, "PUT", API + "t/.tokens/fresh").header("If-Match", "*")
                .body("application/json", "{}").send().status()).isEqualTo(412);
        String name = create("t/", "{\"expires\": \"2099-01-01T00:00:00Z\"}");
        assertThat(root(server, "PUT", API + "t/.tokens/" + name).header("If-None-Match", "*")
                .body("application/json", "{}").send().status()).isEqualTo(412);
        assertThat(root(server, "PUT", API + "t/.tokens/" + name).header("If-Match", "\"0-0\"")
                .body("application/json", "{}").send().status()).isEqualTo(412);
    }

    @Test
    void H59_delete() {
        String name = create("t/", "{\"expires\": \"2099-01-01T00:00:00Z\"}");
        assertThat(root(server, "DELETE", API + "t/child/.tokens/" + name).send().status()).isEqualTo(404);
        assertThat(root(server, "DELETE", API + "t/.tokens/" + name).header("If-Match", "\"0-0\"").send().status())
                .isEqualTo(412);
        assertThat(root(server, "DELETE", API + "t/.tokens/" + name).send().status()).isEqualTo(204);
        assertThat(server.server().context().tokens().get(name)).isEmpty();
        assertThat(root(server, "DELETE", API + "t/.tokens/" + name).send().status()).isEqualTo(404);
    }
}
