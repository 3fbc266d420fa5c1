package dev.parley.server;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server as `./parley` starts it on a fresh machine: no groups directory (a demo group is
 * created), TLS with a generated certificate, and no -announce, so the media plane binds every
 * interface and announces the machine's own addresses. Nothing is sent anywhere.
 */
class DefaultStartTest {
    @Test
    void L12_H2_freshStartWithDefaultsServesTheDemoGroup() throws Exception {
        Path root = Files.createTempDirectory("parley-fresh-");
        Path groups = root.resolve("groups");
        String adminPassword = DemoGroup.createIfNoGroups(groups);
        assertThat(adminPassword).isNotBlank();
        assertThat(DemoGroup.createIfNoGroups(groups)).as("only on a fresh machine").isNull();
        ParleyServer server = ParleyServer.start(new ServerOptions("127.0.0.1:0", false, null, root.resolve("data"),
                groups, root.resolve("recordings"), "", "auto", false, false, List.of()));
        try {
            assertThat(Files.exists(root.resolve("data/cert.pem"))).isTrue();
            assertThat(server.context().media().port()).isPositive();
            HttpClient insecure = HttpClient.newBuilder().sslContext(TrustAll.context()).build();
            HttpResponse<String> status = insecure.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.httpAddress().getPort() + "/group/demo/.status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"name\":\"demo\"");
        } finally {
            server.shutdown();
        }
    }

    /** Accepts the server's self-signed certificate. */
    static final class TrustAll {
        static javax.net.ssl.SSLContext context() throws Exception {
            javax.net.ssl.TrustManager[] trustAll = {new javax.net.ssl.X509TrustManager() {
                @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
                @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
                @Override public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
            }};
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, trustAll, new java.security.SecureRandom());
            return ctx;
        }
    }
}
