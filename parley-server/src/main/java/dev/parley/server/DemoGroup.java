package dev.parley.server;

import dev.parley.server.util.AtomicFiles;
import dev.parley.server.util.Ids;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** On a fresh machine, a ready group so that the first start is usable at once. */
final class DemoGroup {
    private static final String DEMO = """
            {
                "displayName": "Parley demo",
                "description": "A demo group: anyone may join with any username.",
                "public": true,
                "wildcard-user": {"password": {"type": "wildcard"}, "permissions": "present"},
                "users": {"admin": {"password": "%s", "permissions": "op"}}
            }
            """;

    private DemoGroup() {
    }

    /**
     * Creates {@code groups/demo.json} when the groups directory does not exist, with an
     * operator "admin" whose random password is returned; returns null when nothing was created.
     */
    static String createIfNoGroups(Path groupsDir) throws IOException {
        if (Files.exists(groupsDir)) {
            return null;
        }
        String password = Ids.shortId();
        AtomicFiles.write(groupsDir.resolve("demo.json"), DEMO.formatted(password).getBytes(StandardCharsets.UTF_8));
        return password;
    }
}
