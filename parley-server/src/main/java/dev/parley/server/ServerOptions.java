package dev.parley.server;

import java.nio.file.Path;
import java.util.List;

/**
 * Command-line settings (L12), Galène's names and defaults. {@code staticDir} null means the
 * built-in web client. {@code announce} lists the addresses put in ICE candidates.
 */
public record ServerOptions(
        String http,
        boolean insecure,
        Path staticDir,
        Path dataDir,
        Path groupsDir,
        Path recordingsDir,
        String udpRange,
        String turn,
        boolean relayOnly,
        boolean mdns,
        List<String> announce) {
}
