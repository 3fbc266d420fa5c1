package dev.parley.server.http;

import dev.parley.server.ServerContext;
import dev.parley.server.ServerOptions;
import dev.parley.server.auth.Authoriser;
import dev.parley.server.auth.TokenCommands;
import dev.parley.server.auth.TokenStore;
import dev.parley.server.config.ConfigStore;
import dev.parley.server.config.IceServers;
import dev.parley.server.group.GroupManager;
import dev.parley.server.sfu.MediaService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Server services over a directory, for tests that start an {@link HttpServer} by hand. */
final class ServerContexts {
    private ServerContexts() {
    }

    /**
     * Uses {@code dir/data}, {@code dir/groups} and {@code dir/static}, creating them. The
     * caller closes {@code media()} when done.
     */
    static ServerContext in(Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path groupsDir = Files.createDirectories(dir.resolve("groups"));
        Path staticDir = Files.createDirectories(dir.resolve("static"));
        Clock clock = Clock.systemUTC();
        TokenStore tokens = new TokenStore(data.resolve("var/tokens.jsonl"), clock);
        return new ServerContext(
                new ServerOptions("127.0.0.1:0", true, staticDir, data, groupsDir, dir.resolve("recordings"), "", "",
                        false, false, List.of("127.0.0.1")),
                new GroupManager(groupsDir, clock), new ConfigStore(data), new Authoriser(tokens, () -> null, clock),
                tokens, new TokenCommands(tokens, clock), new IceServers(data, false, clock),
                MediaService.start(0, List.of("127.0.0.1")), clock);
    }
}
