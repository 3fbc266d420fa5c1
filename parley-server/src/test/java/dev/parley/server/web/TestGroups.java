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
    /** A user whose password the change-password page changes; nobody else logs in as them. */
    static final String PW_USER = "twoflower";
    static final String PW_PASSWORD = "luggage";
    /** The server's administrator (config.json), for the statistics page. */
    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "adminpw";

    private TestGroups() {
    }

    static void write(TestServer.Dirs dirs) throws IOException {
        dirs.group(GROUP, """
                {"public": true, "displayName": "%s", "description": "Used by the browser tests.", "allow-recording": true,
                 "users": {"%s": {"password": "%s", "permissions": "op"},
                           "%s": {"password": "%s", "permissions": "present"}},
                 "wildcard-user": {"password": "%s", "permissions": "present"}}
                """.formatted(DISPLAY_NAME, OP_USER, OP_PASSWORD, PW_USER, PW_PASSWORD, GUEST_PASSWORD));
        // writable groups: the change-password page writes the group file through the API
        dirs.data("config.json", """
                {"writableGroups": true, "users": {"%s": {"password": "%s", "permissions": "admin"}}}
                """.formatted(ADMIN_USER, ADMIN_PASSWORD));
    }
}
