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
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.parley.server.api.ApiFixture.basic;
import static dev.parley.server.api.ApiFixture.root;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec A.8: stats (H48), the group list (H49), group descriptions (H51–H53), body limit (H60), ETags (H61). */
class ApiGroupsTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ApiFixture.start();
        for (String name : new String[]{"with-keys", "with-keys-2"}) {
            server.files().group(name, """
                    {"displayName": "Keys", "max-clients": 0, "public": false,
                     "authKeys": [{"kty": "oct", "alg": "HS256", "k": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"}],
                     "op": [{"username": "legacy", "password": "old"}]}""");
        }
        server.files().group(".hidden-group", "{}");
        server.files().group("sub/dir/deep", "{}");
        Files.createDirectories(server.files().groups().resolve(".git"));
        Files.writeString(server.files().groups().resolve(".git/config.json"), "{}");
        Files.writeString(server.files().groups().resolve("notes.txt"), "not a group");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Path file(String group) {
        return server.files().groups().resolve(group + ".json");
    }

    private static JsonNode json(Response r) throws Exception {
        return Json.parse(r.text());
    }

    private static Response put(String group, String body, String... headers) {
        RawHttp r = root(server, "PUT", "/galene-api/v0/.groups/" + group).body("application/json", body);
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return r.send();
    }

    @Test
    void H48_statsListsInMemoryGroupsAndClients() throws Exception {
        try (WsClient c = server.join("stats-client", "g", "bob", "bobpw")) {
            Response r = root(server, "GET", "/galene-api/v0/.stats").send();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
            JsonNode stats = json(r);
            List<String> names = new ArrayList<>();
            JsonNode g = null;
            for (JsonNode s : stats) {
                names.add(s.path("name").asText());
                if (s.path("name").asText().equals("g")) {
                    g = s;
                }
            }
            assertThat(names).isSorted();
            assertThat(g).isNotNull();
            assertThat(g.path("clients")).hasSize(1);
            assertThat(g.path("clients").get(0).path("id").asText()).isEqualTo("stats-client");
            for (JsonNode s : stats) {
                if (!s.path("name").asText().equals("g")) {
                    assertThat(s.has("clients")).as("empty clients are omitted").isFalse();
                }
            }
            Response head = root(server, "HEAD", "/galene-api/v0/.stats").send();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void H49_groupListNamesEveryDescriptionFileRecursively() throws Exception {
        for (String path : new String[]{"/galene-api/v0/.groups/", "/galene-api/v0/.groups"}) {
            Response r = root(server, "GET", path).send();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            List<String> names = new ArrayList<>();
            json(r).forEach(n -> names.add(n.asText()));
            assertThat(names).contains("g", "parent", "other", "with-keys", "sub/dir/deep")
                    .doesNotContain(".hidden-group", ".git/config", "notes", "parent/sub");
        }
    }

    @Test
    void H49_noGroupFilesGivesNull() throws Exception {
        try (TestServer s = TestServer.start(f -> f.data("config.json", ApiFixture.CONFIG))) {
            Response r = root(s, "GET", "/galene-api/v0/.groups/").send();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text().trim()).isEqualTo("null");
        }
    }

    @Test
    void H51_getReturnsTheSanitisedDescriptionWithEtag() throws Exception {
        Response r = root(server, "GET", "/galene-api/v0/.groups/with-keys").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("ETag")).isEqualTo(FileStamp.of(file("with-keys")).etag());
        JsonNode d = json(r);
        assertThat(d.path("displayName").asText()).isEqualTo("Keys");
        assertThat(d.has("users")).isFalse();
        assertThat(d.has("wildcard-user")).isFalse();
        assertThat(d.has("authKeys")).isFalse();
        assertThat(d.has("op")).as("obsolete user lists are users too").isFalse();
        JsonNode g = json(root(server, "GET", "/galene-api/v0/.groups/g").send());
        assertThat(g.has("users")).isFalse();
        assertThat(g.has("wildcard-user")).isFalse();
        assertThat(g.path("public").asBoolean()).isTrue();
        // A trailing slash is tolerated.
        assertThat(root(server, "GET", "/galene-api/v0/.groups/g/").send().status()).isEqualTo(200);
    }

    @Test
    void H51_conditionalGet() {
        String etag = root(server, "GET", "/galene-api/v0/.groups/g").send().header("ETag");
        Response notModified = root(server, "GET", "/galene-api/v0/.groups/g").header("If-None-Match", etag).send();
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("ETag")).isEqualTo(etag);
        assertThat(root(server, "GET", "/galene-api/v0/.groups/g").header("If-Match", "\"0-0\"").send().status())
                .isEqualTo(412);
        assertThat(root(server, "GET", "/galene-api/v0/.groups/g").header("If-Match", etag).send().status())
                .isEqualTo(200);
    }

    @Test
    void H51_subgroupsAndMissingFilesAre404() {
        assertThat(root(server, "GET", "/galene-api/v0/.groups/parent/sub").send().status()).isEqualTo(404);
        assertThat(root(server, "GET", "/galene-api/v0/.groups/missing").send().status()).isEqualTo(404);
    }

    @Test
    void H52_putCreatesThenReplaces() throws Exception {
        Response created = put("created", "{\"displayName\": \"New\", \"public\": true}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(Files.readString(file("created"))).contains("\"New\"");
        Response replaced = put("created", "{\"displayName\": \"Newer\"}");
        assertThat(replaced.status()).isEqualTo(204);
        JsonNode d = json(root(server, "GET", "/galene-api/v0/.groups/created").send());
        assertThat(d.path("displayName").asText()).isEqualTo("Newer");
        assertThat(d.has("public")).isFalse();
        // The new description is in force for clients too.
        assertThat(RawHttp.to(server).target("/group/created/.status").send().text()).contains("\"Newer\"");
    }

    @Test
    void H52_putKeepsStoredSecretsAndRefusesNewOnes() throws Exception {
        assertThat(put("with-keys-2", "{\"displayName\": \"Renamed\"}").status()).isEqualTo(204);
        JsonNode stored = Json.parse(Files.readString(file("with-keys-2")));
        assertThat(stored.path("authKeys")).hasSize(1);
        assertThat(stored.path("users").has("legacy")).as("obsolete op list kept as users").isTrue();
        assertThat(stored.path("displayName").asText()).isEqualTo("Renamed");
        assertThat(put("with-keys-2", "{\"users\": {\"x\": {\"password\": \"y\"}}}").status()).isEqualTo(500);
        assertThat(put("with-keys-2", "{\"wildcard-user\": {\"password\": \"y\"}}").status()).isEqualTo(500);
        assertThat(put("with-keys-2", "{\"authKeys\": []}").status()).isEqualTo(500);
        assertThat(Json.parse(Files.readString(file("with-keys-2"))).path("displayName").asText()).isEqualTo("Renamed");
    }

    @Test
    void H52_unknownKeysAreDroppedAndBadTypesRefused() throws Exception {
        assertThat(put("lenient", "{\"displayName\": \"L\", \"no-such-key\": 1}").status()).isEqualTo(201);
        assertThat(Json.parse(Files.readString(file("lenient"))).has("no-such-key")).isFalse();
        assertThat(put("lenient", "{\"public\": \"yes\"}").status()).isEqualTo(500);
        assertThat(put("lenient", "{not json").status()).isEqualTo(500);
        assertThat(put("lenient", "[]").status()).isEqualTo(500);
    }

    @Test
    void H52_contentTypeMustBeJson() {
        Response r = root(server, "PUT", "/galene-api/v0/.groups/typed").body("text/plain", "{}").send();
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.header("Accept")).isEqualTo("application/json");
        Response withParameters = root(server, "PUT", "/galene-api/v0/.groups/typed")
                .body("Application/JSON; charset=utf-8", "{}").send();
        assertThat(withParameters.status()).isEqualTo(201);
    }

    @Test
    void H52_preconditionsAreCheckedBeforeTheBody() {
        put("preconditioned", "{}");
        String etag = FileStamp.of(file("preconditioned")).etag();
        // The body is not even JSON: a 412 shows it was never read.
        assertThat(put("preconditioned", "garbage", "If-None-Match", "*").status()).isEqualTo(412);
        assertThat(put("never-existed", "garbage", "If-Match", "*").status()).isEqualTo(412);
        assertThat(put("preconditioned", "{}", "If-Match", "\"1-1\"").status()).isEqualTo(412);
        assertThat(put("preconditioned", "{}", "If-None-Match", etag).status()).isEqualTo(412);
        assertThat(put("preconditioned", "{\"displayName\": \"ok\"}", "If-Match", etag).status()).isEqualTo(204);
        assertThat(put("fresh-one", "{}", "If-None-Match", "*").status()).isEqualTo(201);
    }

    @Test
    void H52_writtenFilesAre0600InNewDirectories0700() throws Exception {
        assertThat(put("made/in/dirs", "{}").status()).isEqualTo(201);
        assertThat(Files.getPosixFilePermissions(file("made/in/dirs")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(server.files().groups().resolve("made/in")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE));
    }

    @Test
    void H52_groupAdminsMayWriteTheirGroup() {
        Response r = RawHttp.to(server).method("PUT").target("/galene-api/v0/.groups/other")
                .header("Authorization", basic("oadmin", "oa")).body("application/json", "{\"displayName\": \"O\"}").send();
        assertThat(r.status()).isEqualTo(204);
    }

    @Test
    void H52_H53_writesNeedWritableGroupsButDeleteDoesNot() throws Exception {
        try (TestServer s = ApiFixture.start(ApiFixture.CONFIG.replace("\"writableGroups\": true", "\"writableGroups\": false"))) {
            Response r = root(s, "PUT", "/galene-api/v0/.groups/g").body("application/json", "{}").send();
            assertThat(r.status()).isEqualTo(401);
            assertThat(root(s, "PUT", "/galene-api/v0/.groups/new").body("application/json", "{}").send().status())
                    .isEqualTo(401);
            assertThat(s.files().groups().resolve("new.json")).doesNotExist();
            assertThat(root(s, "DELETE", "/galene-api/v0/.groups/other").send().status()).isEqualTo(204);
            assertThat(s.files().groups().resolve("other.json")).doesNotExist();
        }
    }

    @Test
    void H53_deleteRemovesTheFile() {
        put("doomed", "{}");
        String etag = FileStamp.of(file("doomed")).etag();
        assertThat(root(server, "DELETE", "/galene-api/v0/.groups/doomed").header("If-Match", "\"9-9\"").send().status())
                .isEqualTo(412);
        assertThat(root(server, "DELETE", "/galene-api/v0/.groups/doomed").header("If-Match", etag).send().status())
                .isEqualTo(204);
        assertThat(file("doomed")).doesNotExist();
        assertThat(root(server, "DELETE", "/galene-api/v0/.groups/doomed").send().status()).isEqualTo(404);
        assertThat(RawHttp.to(server).target("/group/doomed/").send().status()).isEqualTo(404);
    }

    @Test
    void H60_bodiesOverOneMebibyteAre413() {
        String big = "{\"description\": \"" + "x".repeat(1 << 20) + "\"}";
        Response r = put("big", big, "Expect", "100-continue");
        assertThat(r.status()).isEqualTo(413);
        // Just under the limit is fine.
        String fits = "{\"description\": \"" + "x".repeat((1 << 20) - 100) + "\"}";
        assertThat(put("big", fits, "Expect", "100-continue").status()).isEqualTo(201);
    }

    @Test
    void H61_etagListsAndWeakTags() {
        String etag = root(server, "GET", "/galene-api/v0/.groups/g").send().header("ETag");
        assertThat(root(server, "GET", "/galene-api/v0/.groups/g").header("If-None-Match", "\"a\", " + etag).send().status())
                .isEqualTo(304);
        assertThat(root(server, "GET", "/galene-api/v0/.groups/g").header("If-None-Match", "W/" + etag).send().status())
                .isEqualTo(200);
        assertThat(root(server, "GET", "/galene-api/v0/.groups/g").header("If-Match", "W/" + etag).send().status())
                .isEqualTo(412);
        assertThat(root(server, "GET", "/galene-api/v0/.groups/g").header("If-None-Match", "*").send().status())
                .isEqualTo(304);
        // If-Match is evaluated first.
        assertThat(root(server, "GET", "/galene-api/v0/.groups/g").header("If-Match", "\"x\"")
                .header("If-None-Match", etag).send().status()).isEqualTo(412);
    }
}
