package dev.parley.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.Json;
import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.RawHttp.Response;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import dev.parley.server.util.FileStamp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.parley.server.api.ApiFixture.basic;
import static dev.parley.server.api.ApiFixture.root;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec A.8: users (H54, H55), passwords (H56) and keys (H57). */
class ApiUsersTest {
    static final String API = "/galene-api/v0/.groups/";
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ApiFixture.start();
        for (String name : new String[]{"u1", "u2", "u3", "pw", "keys", "special"}) {
            server.files().group(name, """
                    {"users": {"alice": {"password": "alicepw", "permissions": "op"},
                               "carol": {"password": "carolpw"}},
                     "wildcard-user": {"password": "guest", "permissions": "present"}}""");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Path file(String group) {
        return server.files().groups().resolve(group + ".json");
    }

    private static JsonNode stored(String group) throws Exception {
        return Json.parse(Files.readString(file(group)));
    }

    private static JsonNode json(Response r) throws Exception {
        return Json.parse(r.text());
    }

    /** Whether a WebSocket client can log into the group with these credentials. */
    private static boolean canJoin(String group, String user, String password) {
        try (WsClient c = server.handshake("probe-" + System.nanoTime())) {
            c.send(String.format("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"%s\",\"username\":\"%s\",\"password\":\"%s\"}",
                    group, user, password));
            JsonNode joined = c.expect("joined");
            return joined.path("kind").asText().equals("join");
        }
    }

    @Test
    void H54_usersListsNamesWithEtag() throws Exception {
        Response r = root(server, "GET", API + "u1/.users/").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo(FileStamp.of(file("u1")).etag());
        List<String> names = new ArrayList<>();
        json(r).forEach(n -> names.add(n.asText()));
        assertThat(names).containsExactlyInAnyOrder("alice", "carol");
        assertThat(root(server, "GET", API + "u1/.users/").header("If-None-Match", r.header("ETag")).send().status())
                .isEqualTo(304);
        assertThat(root(server, "GET", API + "u1/.users/").header("If-Match", "\"1-2\"").send().status())
                .isEqualTo(412);
    }

    @Test
    void H54_usersWithoutSlashIs404() {
        assertThat(root(server, "GET", API + "u1/.users").send().status()).isEqualTo(404);
        // Even without credentials: that path is no route at all.
        assertThat(RawHttp.to(server).target(API + "u1/.users").send().status()).isEqualTo(404);
        assertThat(root(server, "GET", API + "missing/.users/").send().status()).isEqualTo(404);
    }

    @Test
    void H55_getUserHidesThePassword() throws Exception {
        Response r = root(server, "GET", API + "u1/.users/alice").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text().trim()).isEqualTo("{\"permissions\":\"op\"}");
        assertThat(r.header("ETag")).isEqualTo(FileStamp.of(file("u1")).etag());
        assertThat(root(server, "GET", API + "u1/.users/carol").send().text().trim()).isEqualTo("{}");
        assertThat(json(root(server, "GET", API + "u1/.wildcard-user").send()).path("permissions").asText())
                .isEqualTo("present");
        assertThat(root(server, "GET", API + "u1/.users/nobody").send().status()).isEqualTo(404);
        assertThat(root(server, "GET", API + "u1/.empty-user").send().status()).isEqualTo(404);
    }

    @Test
    void H55_putUserKeepsThePassword() throws Exception {
        Response replaced = root(server, "PUT", API + "u2/.users/alice")
                .body("application/json", "{\"permissions\": \"present\"}").send();
        assertThat(replaced.status()).isEqualTo(204);
        assertThat(stored("u2").path("users").path("alice").path("password").asText()).isEqualTo("alicepw");
        assertThat(stored("u2").path("users").path("alice").path("permissions").asText()).isEqualTo("present");
        Response created = root(server, "PUT", API + "u2/.users/dave")
                .body("application/json", "{\"permissions\": [\"message\"], \"extra\": 1}").send();
        assertThat(created.status()).isEqualTo(201);
        assertThat(json(root(server, "GET", API + "u2/.users/dave").send()).path("permissions").get(0).asText())
                .isEqualTo("message");
        // A new user has no password and so cannot log in yet.
        assertThat(stored("u2").path("users").path("dave").has("password")).isFalse();
        assertThat(canJoin("u2", "alice", "alicepw")).isTrue();
    }

    @Test
    void H55_putUserRefusesPasswordsAndUnknownPermissions() {
        assertThat(root(server, "PUT", API + "u2/.users/eve")
                .body("application/json", "{\"password\": \"x\", \"permissions\": \"op\"}").send().status()).isEqualTo(500);
        Response unknown = root(server, "PUT", API + "u2/.users/eve")
                .body("application/json", "{\"permissions\": \"superuser\"}").send();
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text().trim()).isEqualTo("unknown permission");
        assertThat(root(server, "PUT", API + "u2/.users/eve").body("text/plain", "{}").send().status()).isEqualTo(415);
        assertThat(root(server, "GET", API + "u2/.users/eve").send().status()).isEqualTo(404);
    }

    @Test
    void H55_userPreconditionsUseTheDescriptionsEtag() {
        String etag = FileStamp.of(file("u3")).etag();
        assertThat(root(server, "PUT", API + "u3/.users/alice").header("If-None-Match", "*")
                .body("application/json", "{}").send().status()).isEqualTo(412);
        assertThat(root(server, "PUT", API + "u3/.users/newbie").header("If-Match", "*")
                .body("application/json", "{}").send().status()).isEqualTo(412);
        assertThat(root(server, "PUT", API + "u3/.users/alice").header("If-Match", etag)
                .body("application/json", "{\"permissions\": \"op\"}").send().status()).isEqualTo(204);
    }

    @Test
    void H55_deleteUser() throws Exception {
        assertThat(root(server, "DELETE", API + "u3/.users/carol").send().status()).isEqualTo(204);
        assertThat(stored("u3").path("users").has("carol")).isFalse();
        assertThat(root(server, "DELETE", API + "u3/.users/carol").send().status()).isEqualTo(404);
    }

    @Test
    void H55_specialUsers() throws Exception {
        assertThat(root(server, "PUT", API + "special/.empty-user")
                .body("application/json", "{\"permissions\": \"observe\"}").send().status()).isEqualTo(201);
        assertThat(stored("special").path("users").path("").path("permissions").asText()).isEqualTo("observe");
        assertThat(root(server, "GET", API + "special/.empty-user").send().text().trim())
                .isEqualTo("{\"permissions\":\"observe\"}");
        assertThat(root(server, "PUT", API + "special/.wildcard-user")
                .body("application/json", "{\"permissions\": \"message\"}").send().status()).isEqualTo(204);
        assertThat(stored("special").path("wildcard-user").path("password").asText()).isEqualTo("guest");
        assertThat(root(server, "DELETE", API + "special/.wildcard-user").send().status()).isEqualTo(204);
        assertThat(stored("special").has("wildcard-user")).isFalse();
        assertThat(root(server, "GET", API + "special/.wildcard-user").send().status()).isEqualTo(404);
    }

    @Test
    void H56_putStoresAPasswordAsGiven() throws Exception {
        Response r = root(server, "PUT", API + "pw/.users/alice/.password").body("application/json", "\"newpw\"").send();
        assertThat(r.status()).isEqualTo(204);
        assertThat(canJoin("pw", "alice", "newpw")).isTrue();
        assertThat(canJoin("pw", "alice", "alicepw")).isFalse();
        Response object = root(server, "PUT", API + "pw/.users/carol/.password")
                .body("application/json", "{\"type\": \"plain\", \"key\": \"k\"}").send();
        assertThat(object.status()).isEqualTo(204);
        assertThat(canJoin("pw", "carol", "k")).isTrue();
    }

    @Test
    void H56_postHashesWithBcryptCost8() throws Exception {
        Response r = RawHttp.to(server).method("POST").target(API + "pw/.empty-user/.password")
                .header("Authorization", basic("root", "rootpw")).body("text/plain", "x").send();
        assertThat(r.status()).as("the empty user does not exist yet").isEqualTo(404);
        root(server, "PUT", API + "pw/.users/hashed").body("application/json", "{\"permissions\": \"present\"}").send();
        Response post = root(server, "POST", API + "pw/.users/hashed/.password").body("text/plain; charset=utf-8", "s3cret").send();
        assertThat(post.status()).isEqualTo(204);
        JsonNode pw = stored("pw").path("users").path("hashed").path("password");
        assertThat(pw.path("type").asText()).isEqualTo("bcrypt");
        assertThat(pw.path("key").asText()).startsWith("$2a$08$");
        assertThat(canJoin("pw", "hashed", "s3cret")).isTrue();
        Response wrongType = root(server, "POST", API + "pw/.users/hashed/.password").body("application/json", "\"x\"").send();
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.header("Accept")).isEqualTo("text/plain");
    }

    @Test
    void H56_userMayChangeItsOwnPassword() throws Exception {
        root(server, "PUT", API + "pw/.users/self").body("application/json", "{\"permissions\": \"present\"}").send();
        root(server, "PUT", API + "pw/.users/self/.password").body("application/json", "\"first\"").send();
        Response r = RawHttp.to(server).method("POST").target(API + "pw/.users/self/.password")
                .header("Authorization", basic("self", "first")).body("text/plain", "second").send();
        assertThat(r.status()).isEqualTo(204);
        assertThat(canJoin("pw", "self", "second")).isTrue();
    }

    @Test
    void H56_deleteStoresAnEmptyPassword() throws Exception {
        root(server, "PUT", API + "pw/.users/gone").body("application/json", "{\"permissions\": \"present\"}").send();
        root(server, "PUT", API + "pw/.users/gone/.password").body("application/json", "\"pass\"").send();
        assertThat(canJoin("pw", "gone", "pass")).isTrue();
        assertThat(root(server, "DELETE", API + "pw/.users/gone/.password").send().status()).isEqualTo(204);
        assertThat(stored("pw").path("users").has("gone")).isTrue();
        assertThat(canJoin("pw", "gone", "pass")).isFalse();
        assertThat(canJoin("pw", "gone", "")).isFalse();
    }

    @Test
    void H56_errors() {
        assertThat(root(server, "PUT", API + "pw/.users/nobody/.password").body("application/json", "\"x\"").send().status())
                .isEqualTo(404);
        Response get = root(server, "GET", API + "pw/.users/alice/.password").send();
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("OPTIONS, PUT, POST, DELETE");
        assertThat(root(server, "PUT", API + "pw/.wildcard-user/.password").body("application/json", "\"w\"").send().status())
                .isEqualTo(204);
    }

    @Test
    void H56_H57_writesNeedWritableGroups() throws Exception {
        try (TestServer s = ApiFixture.start(ApiFixture.CONFIG.replace("\"writableGroups\": true", "\"writableGroups\": false"))) {
            assertThat(root(s, "PUT", API + "g/.users/bob/.password").body("application/json", "\"x\"").send().status())
                    .isEqualTo(401);
            assertThat(root(s, "DELETE", API + "g/.keys").send().status()).isEqualTo(401);
            assertThat(root(s, "PUT", API + "g/.users/bob").body("application/json", "{}").send().status()).isEqualTo(401);
        }
    }

    @Test
    void H57_keys() throws Exception {
        String jwks = "{\"keys\": [{\"kty\": \"oct\", \"alg\": \"HS256\", \"k\": \"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI\"}]}";
        Response wrongType = root(server, "PUT", API + "keys/.keys").body("application/json", jwks).send();
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.header("Accept")).isEqualTo("application/jwk-set+json");
        assertThat(root(server, "PUT", API + "keys/.keys").body("application/jwk-set+json", jwks).send().status())
                .isEqualTo(204);
        assertThat(stored("keys").path("authKeys")).hasSize(1);
        assertThat(stored("keys").path("users").has("alice")).isTrue();
        assertThat(root(server, "PUT", API + "keys/.keys")
                .body("application/jwk-set+json", "{\"keys\": [{\"kty\": \"nonsense\"}]}").send().status()).isEqualTo(500);
        assertThat(stored("keys").path("authKeys")).hasSize(1);
        Response get = root(server, "GET", API + "keys/.keys").send();
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("OPTIONS, PUT, DELETE");
        assertThat(root(server, "DELETE", API + "keys/.keys").send().status()).isEqualTo(204);
        assertThat(stored("keys").has("authKeys")).isFalse();
        assertThat(root(server, "DELETE", API + "missing/.keys").send().status()).isEqualTo(404);
    }
}
