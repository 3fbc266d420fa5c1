package dev.parley.server;

import dev.parley.server.auth.Authoriser;
import dev.parley.server.auth.TokenCommands;
import dev.parley.server.auth.TokenStore;
import dev.parley.server.cluster.Cluster;
import dev.parley.server.config.ConfigStore;
import dev.parley.server.config.IceServers;
import dev.parley.server.group.GroupManager;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.sfu.MediaService;

import java.time.Clock;

/** The server-wide services that signalling and HTTP handlers share; {@code metrics} is never null. */
public record ServerContext(
        ServerOptions options,
        GroupManager groups,
        ConfigStore config,
        Authoriser authoriser,
        TokenStore tokens,
        TokenCommands tokenCommands,
        IceServers iceServers,
        MediaService media,
        Clock clock,
        Cluster cluster,
        ServerMetrics metrics) {
    /** A single node ({@link Cluster#SINGLE}) without metrics. */
    public ServerContext(ServerOptions options, GroupManager groups, ConfigStore config, Authoriser authoriser,
                         TokenStore tokens, TokenCommands tokenCommands, IceServers iceServers, MediaService media,
                         Clock clock) {
        this(options, groups, config, authoriser, tokens, tokenCommands, iceServers, media, clock, Cluster.SINGLE,
                ServerMetrics.disabled());
    }
}
