package dev.parley.server.config;

import dev.parley.server.auth.UserDescription;

import java.util.List;
import java.util.Map;

/**
 * The contents of {@code <data>/config.json} (spec L6). Unknown keys make the file invalid.
 */
public record ServerConfig(
        Map<String, UserDescription> users,
        String canonicalHost,
        List<String> allowOrigin,
        List<String> allowAdminOrigin,
        String proxyURL,
        boolean writableGroups) {

    public static final ServerConfig EMPTY = new ServerConfig(Map.of(), null, List.of(), List.of(), null, false);

    public boolean originAllowed(String origin) {
        return allowOrigin.stream().anyMatch(o -> o.equalsIgnoreCase(origin));
    }

}
