package dev.parley.server;

import java.nio.file.Path;
import java.util.List;

/**
 * Command-line settings (L12), Galène's names and defaults. {@code staticDir} null means the
 * built-in web client. {@code announce} lists the addresses put in ICE candidates.
 * {@code trickleIce} (Parley's {@code -ice-trickle}) sends the server's candidates in {@code ice}
 * messages after the SDP instead of inside it, as Galène does.
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
        List<String> announce,
        boolean trickleIce) {

    /** Candidates inside the SDP (the default). */
    public ServerOptions(String http, boolean insecure, Path staticDir, Path dataDir, Path groupsDir, Path recordingsDir,
                         String udpRange, String turn, boolean relayOnly, boolean mdns, List<String> announce) {
        this(http, insecure, staticDir, dataDir, groupsDir, recordingsDir, udpRange, turn, relayOnly, mdns, announce, false);
    }
}
