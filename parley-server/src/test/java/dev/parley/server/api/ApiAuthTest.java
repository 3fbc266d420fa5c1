package dev.parley.server.api;

import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.RawHttp.Response;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.parley.server.api.ApiFixture.basic;
import static dev.parley.server.api.ApiFixture.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec A.8: paths (H44, H50), authentication (H45), CORS (H46), check order (H47), 405 (H9). */
class ApiAuthTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ApiFixture.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response get(String path, String authorization) {
        RawHttp r = RawHttp.to(server).target(path);
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return r.send();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/galene-api/", "/galene-api/v1/.stats", "/galene-api/v0", "/galene-api/v0/",
            "/galene-api/v0/.foo", "/galene-api/v0/.stats/x", "/galene-api/x/.groups/", "/galene-api/v0/groups/"})
    void H44_H50_onlyKnownV0PathsExist(String path) {
        assertThat(get(path, basic("root", "rootpw")).status()).isEqualTo(404);
    }

    @Test
    void H45_failureIs401WithBasicChallenge() {
        Response r = get("/galene-api/v0/.stats", null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("basic realm=\"/galene-api/\"");
        assertThat(r.text().trim()).isEqualTo("Haha!");
    }

    @ParameterizedTest
    @CsvSource({"root, rootpw, 200", "arr, arrpw, 200", "root, wrong, 401", "op, oppw, 401", "nobody, x, 401"})
    void H45a_configUsersWithAdminAreGlobalAdmins(String user, String password, int status) {
        assertThat(get("/galene-api/v0/.stats", basic(user, password)).status()).isEqualTo(status);
        assertThat(get("/galene-api/v0/.groups/", basic(user, password)).status()).isEqualTo(status);
        // A global admin administers every group too.
        assertThat(get("/galene-api/v0/.groups/g", basic(user, password)).status()).isEqualTo(status);
    }

    @Test
    void H45b_groupAdminsAdministerTheirGroupOnly() {
        assertThat(get("/galene-api/v0/.groups/g", basic("gadmin", "ga")).status()).isEqualTo(200);
        assertThat(get("/galene-api/v0/.groups/g/.users/", basic("gadmin", "ga")).status()).isEqualTo(200);
        assertThat(get("/galene-api/v0/.groups/g", basic("gadmin", "wrong")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.groups/g", basic("bob", "bobpw")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.groups/g", basic("somebody", "guest")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.groups/other", basic("gadmin", "ga")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.stats", basic("gadmin", "ga")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.groups/", basic("gadmin", "ga")).status()).isEqualTo(401);
    }

    @Test
    void H45b_tokensWithAdminCoverTheirGroup() {
        assertThat(get("/galene-api/v0/.groups/g", bearer("g-admin")).status()).isEqualTo(200);
        assertThat(get("/galene-api/v0/.groups/g", bearer("g-op")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.groups/other", bearer("g-admin")).status()).isEqualTo(401);
        // A global token covers every group.
        assertThat(get("/galene-api/v0/.groups/other", bearer("global-admin")).status()).isEqualTo(200);
        assertThat(get("/galene-api/v0/.groups/g", bearer("expired-admin")).status()).isEqualTo(401);
    }

    @Test
    void H45b_bearerIsPreferredOverBasicForGroupAuthorisation() {
        // With a bearer token present, the group check uses it (the Basic part of such a list does not parse).
        assertThat(get("/galene-api/v0/.groups/g", basic("gadmin", "ga") + ", " + bearer("g-op")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.groups/g", basic("bob", "bobpw") + ", " + bearer("g-admin")).status()).isEqualTo(200);
    }

    @Test
    void H45b_autoSubgroupsUseTheParentsUsers() {
        // The subgroup has no description of its own, so the group route is 404 after authentication.
        assertThat(get("/galene-api/v0/.groups/parent/sub", basic("padmin", "pa")).status()).isEqualTo(404);
        assertThat(get("/galene-api/v0/.groups/parent/sub", basic("padmin", "wrong")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.groups/parent/sub/.tokens/", basic("padmin", "pa")).status()).isEqualTo(200);
    }

    @Test
    void H45c_globalAdminTokens() {
        assertThat(get("/galene-api/v0/.stats", bearer("global-admin")).status()).isEqualTo(200);
        assertThat(get("/galene-api/v0/.groups/", bearer("global-admin")).status()).isEqualTo(200);
        assertThat(get("/galene-api/v0/.groups/.tokens/", bearer("global-admin")).status()).isEqualTo(200);
        assertThat(get("/galene-api/v0/.stats", bearer("expired-admin")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.stats", bearer("root-only-admin")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.stats", bearer("g-admin")).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.stats", bearer("no-such-token")).status()).isEqualTo(401);
    }

    @Test
    void H45_firstBearerOfSeveralCredentialsIsUsed() {
        assertThat(get("/galene-api/v0/.stats", "Foo bar, Bearer global-admin, Bearer nothing").status()).isEqualTo(200);
        assertThat(get("/galene-api/v0/.stats", "Bearer nothing, Bearer global-admin").status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.stats", "bearer global-admin").status()).isEqualTo(200);
    }

    @Test
    void H45d_userMayChangeItsOwnPasswordWithItsPassword() {
        // The route is refused before the body is looked at; a bad content type shows we got past authentication.
        Response own = RawHttp.to(server).method("PUT").target("/galene-api/v0/.groups/g/.users/bob/.password")
                .header("Authorization", basic("whoever", "bobpw")).body("text/plain", "x").send();
        assertThat(own.status()).isEqualTo(415);
        Response wrong = RawHttp.to(server).method("PUT").target("/galene-api/v0/.groups/g/.users/bob/.password")
                .header("Authorization", basic("bob", "nope")).body("text/plain", "x").send();
        assertThat(wrong.status()).isEqualTo(401);
        // A wildcard-type stored password matches anything, even no credentials at all.
        Response wildcard = RawHttp.to(server).method("PUT").target("/galene-api/v0/.groups/g/.users/anyone/.password")
                .body("text/plain", "x").send();
        assertThat(wildcard.status()).isEqualTo(415);
        // Other users' passwords, the empty user and the wildcard user need an admin.
        Response other = RawHttp.to(server).method("PUT").target("/galene-api/v0/.groups/g/.users/gadmin/.password")
                .header("Authorization", basic("bob", "bobpw")).body("text/plain", "x").send();
        assertThat(other.status()).isEqualTo(401);
        Response wildUser = RawHttp.to(server).method("PUT").target("/galene-api/v0/.groups/g/.wildcard-user/.password")
                .header("Authorization", basic("x", "guest")).body("text/plain", "x").send();
        assertThat(wildUser.status()).isEqualTo(401);
        // The password only unlocks the password route.
        assertThat(get("/galene-api/v0/.groups/g/.users/bob", basic("bob", "bobpw")).status()).isEqualTo(401);
    }

    @Test
    void H46_varyIsAlwaysSetAndAllowOriginOnlyForAllowedOrigins() {
        Response none = get("/galene-api/v0/.stats", basic("root", "rootpw"));
        assertThat(none.headerValues("Vary")).contains("Origin");
        assertThat(none.header("Access-Control-Allow-Origin")).isNull();
        Response same = RawHttp.to(server).target("/galene-api/v0/.stats").header("Authorization", basic("root", "rootpw"))
                .header("Origin", "http://127.0.0.1:" + server.port()).send();
        assertThat(same.header("Access-Control-Allow-Origin")).isEqualTo("http://127.0.0.1:" + server.port());
        Response listed = RawHttp.to(server).target("/galene-api/v0/.stats").header("Authorization", basic("root", "rootpw"))
                .header("Origin", "https://admin.example.org").send();
        assertThat(listed.header("Access-Control-Allow-Origin")).isEqualTo("https://admin.example.org");
        Response foreign = RawHttp.to(server).target("/galene-api/v0/.stats").header("Authorization", basic("root", "rootpw"))
                .header("Origin", "https://evil.example.org").send();
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
        assertThat(foreign.headerValues("Vary")).contains("Origin");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/galene-api/v0/.stats|HEAD, GET",
            "/galene-api/v0/.groups/|HEAD, GET",
            "/galene-api/v0/.groups/g|HEAD, GET, PUT, DELETE",
            "/galene-api/v0/.groups/g/.users/|HEAD, GET",
            "/galene-api/v0/.groups/g/.users/bob|HEAD, GET, PUT, DELETE",
            "/galene-api/v0/.groups/g/.users/bob/.password|PUT, POST, DELETE",
            "/galene-api/v0/.groups/g/.keys|PUT, DELETE",
            "/galene-api/v0/.groups/g/.tokens/|HEAD, GET, POST, PUT, DELETE",
    })
    void H46_optionsNeedsNoAuthentication(String path, String methods) {
        Response r = RawHttp.to(server).method("OPTIONS").target(path).header("Origin", "https://admin.example.org").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("OPTIONS, " + methods);
        assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("Authorization, Content-Type");
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://admin.example.org");
    }

    @Test
    void H47_authenticationComesBeforeMethodAndExistence() {
        assertThat(RawHttp.to(server).method("POST").target("/galene-api/v0/.stats").send().status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.groups/missing", null).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.groups/g/.foo", null).status()).isEqualTo(401);
        assertThat(get("/galene-api/v0/.groups/g/.foo", basic("root", "rootpw")).status()).isEqualTo(404);
        assertThat(get("/galene-api/v0/.groups/missing", basic("root", "rootpw")).status()).isEqualTo(404);
    }

    @Test
    void H9_H48_wrongMethodIs405WithAllow() {
        Response r = ApiFixture.root(server, "POST", "/galene-api/v0/.stats").send();
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("OPTIONS, HEAD, GET");
        assertThat(r.text().trim()).isEqualTo("method not allowed");
        Response group = ApiFixture.root(server, "POST", "/galene-api/v0/.groups/g").send();
        assertThat(group.status()).isEqualTo(405);
        assertThat(group.header("Allow")).isEqualTo("OPTIONS, HEAD, GET, PUT, DELETE");
    }
}
