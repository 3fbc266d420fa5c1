package dev.parley.server.api;

import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.TestServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A server with administrators of every kind H45 knows, and request helpers. */
final class ApiFixture {
    static final String CONFIG = """
            {"writableGroups": true,
             "allowAdminOrigin": ["https://Admin.Example.org"],
             "users": {"root": {"password": "rootpw", "permissions": "admin"},
                       "arr": {"password": "arrpw", "permissions": ["op", "admin"]},
                       "op": {"password": "oppw", "permissions": "op"}}}""";
    static final String GROUP_G = """
            {"displayName": "G", "public": true,
             "users": {"gadmin": {"password": "ga", "permissions": ["admin"]},
                       "bob": {"password": "bobpw", "permissions": "present"},
                       "anyone": {"password": {"type": "wildcard"}, "permissions": "message"}},
             "wildcard-user": {"password": "guest", "permissions": "message"}}""";
    static final String TOKENS = """
            {"token":"global-admin","group":"","includeSubgroups":true,"username":"ga-token","permissions":["admin"],"expires":"2099-01-01T00:00:00Z"}
            {"token":"expired-admin","group":"","includeSubgroups":true,"permissions":["admin"],"expires":"2000-01-01T00:00:00Z"}
            {"token":"root-only-admin","group":"","permissions":["admin"],"expires":"2099-01-01T00:00:00Z"}
            {"token":"g-admin","group":"g","username":"g-token","permissions":["admin"],"expires":"2099-01-01T00:00:00Z"}
            {"token":"g-op","group":"g","username":"g-op-token","permissions":["op"],"expires":"2099-01-01T00:00:00Z"}
            """;

    private ApiFixture() {
    }

    static TestServer start(String config) throws IOException {
        return TestServer.start(f -> {
            f.data("config.json", config);
            f.data("var/tokens.jsonl", TOKENS);
            f.group("g", GROUP_G);
            f.group("parent", """
                    {"auto-subgroups": true, "users": {"padmin": {"password": "pa", "permissions": ["admin"]}}}""");
            f.group("other", "{\"users\": {\"oadmin\": {\"password\": \"oa\", \"permissions\": [\"admin\"]}}}");
        });
    }

    static TestServer start() throws IOException {
        return start(CONFIG);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static RawHttp root(TestServer s, String method, String path) {
        return RawHttp.to(s).method(method).target(path).header("Authorization", basic("root", "rootpw"));
    }
}
