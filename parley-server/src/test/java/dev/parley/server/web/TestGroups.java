package dev.parley.server.web;

import dev.parley.server.testing.TestServer;

import java.io.IOException;

/** The group the browser tests use: one operator, anyone else with the password "guest". */
final class TestGroups {
    static final String GROUP = "test";
    static final String OP_USER = "vimes";
    static final String OP_PASSWORD = "sybil";
    static final String GUEST_PASSWORD = "guest";
    static final String DISPLAY_NAME = "Browser test group";

    private TestGroups() {
    }

    static void write(TestServer.Dirs dirs) throws IOException {
        dirs.group(GROUP, """
                {"public": true, "displayName": "%s", "description": "Used by the browser tests.", "allow-recording": true,
                 "users": {"%s": {"password": "%s", "permissions": "op"}},
                 "wildcard-user": {"password": "%s", "permissions": "present"}}
                """.formatted(DISPLAY_NAME, OP_USER, OP_PASSWORD, GUEST_PASSWORD));
    }
}
