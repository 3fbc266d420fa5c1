package dev.parley.client;

import java.net.http.HttpClient;

/**
 * One HTTP client for every connection (WebSockets and authorisation-server requests): a
 * client per connection was never closed, so each connection left a selector thread and pool
 * workers behind until a garbage collection. Created when this class is first used, so that
 * loading {@link ServerConnection} starts no thread.
 */
final class SharedHttp {
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    private SharedHttp() {
    }
}
