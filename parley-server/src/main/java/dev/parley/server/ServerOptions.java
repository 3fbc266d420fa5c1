package dev.parley.server;

import java.nio.file.Path;
import java.util.List;

/**
 * Command-line settings (L12), Galène's names and defaults. {@code staticDir} null means the
 * built-in web client. {@code announce} lists the addresses put in ICE candidates.
 * {@code metrics} serves {@code /metrics} on the main port to administrators; {@code metricsHttp},
 * when not null, is a separate plain-HTTP address that serves it to anyone who can connect.
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
        boolean metrics,
        String metricsHttp,
        boolean trickleIce) {

    /** Galène's flags only: no {@code /metrics}, candidates inside the SDP. */
    public ServerOptions(String http, boolean insecure, Path staticDir, Path dataDir, Path groupsDir, Path recordingsDir,
                         String udpRange, String turn, boolean relayOnly, boolean mdns, List<String> announce) {
        this(http, insecure, staticDir, dataDir, groupsDir, recordingsDir, udpRange, turn, relayOnly, mdns, announce,
                false, null, false);
    }

    /** With {@code /metrics} settings, candidates inside the SDP. */
    public ServerOptions(String http, boolean insecure, Path staticDir, Path dataDir, Path groupsDir, Path recordingsDir,
                         String udpRange, String turn, boolean relayOnly, boolean mdns, List<String> announce,
                         boolean metrics, String metricsHttp) {
        this(http, insecure, staticDir, dataDir, groupsDir, recordingsDir, udpRange, turn, relayOnly, mdns, announce,
                metrics, metricsHttp, false);
    }

    /** With {@code -ice-trickle}, no {@code /metrics}. */
    public ServerOptions(String http, boolean insecure, Path staticDir, Path dataDir, Path groupsDir, Path recordingsDir,
                         String udpRange, String turn, boolean relayOnly, boolean mdns, List<String> announce,
                         boolean trickleIce) {
        this(http, insecure, staticDir, dataDir, groupsDir, recordingsDir, udpRange, turn, relayOnly, mdns, announce,
                false, null, trickleIce);
    }

    /** Whether {@code /metrics} is served at all. */
    public boolean metricsEnabled() {
        return metrics || metricsHttp != null;
    }
}
