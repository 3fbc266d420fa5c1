package dev.parley.server.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import java.net.URI;
import java.time.Duration;

/**
 * One Lettuce connection to the cluster's Redis. Lettuce runs on Netty, the library the server
 * already uses (one version, pinned by the Netty BOM), with two I/O threads of its own. It
 * reconnects by itself after Redis restarts; while it is disconnected, commands fail at once
 * (rather than queue), so that a node notices it can no longer renew its leases.
 */
final class RedisLink implements AutoCloseable {
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RedisLink(ClientResources resources, RedisClient client, StatefulRedisConnection<String, String> connection) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
    }

    /** Connects, or throws Lettuce's RedisConnectionException naming the address. */
    static RedisLink connect(URI redis, Duration timeout) {
        ClientResources resources = ClientResources.builder()
                .ioThreadPoolSize(2)                                   // Lettuce's minimum
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2,
                        java.util.concurrent.TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources,
                RedisURI.builder().withHost(redis.getHost()).withPort(redis.getPort()).withTimeout(timeout).build());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        try {
            return new RedisLink(resources, client, client.connect());
        } catch (RuntimeException e) {
            client.shutdown();
            resources.shutdown();
            throw e;
        }
    }

    RedisCommands<String, String> sync() {
        return connection.sync();
    }

    /**
     * Runs a Lua script (EVAL, not EVALSHA: a restarted Redis has forgotten loaded scripts,
     * and these are a few hundred bytes).
     */
    <T> T eval(String script, ScriptOutputType type, String[] keys, String... args) {
        return connection.sync().eval(script, type, keys, args);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }
}
