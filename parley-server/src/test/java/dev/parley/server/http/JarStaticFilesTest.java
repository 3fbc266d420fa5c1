package dev.parley.server.http;

import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * H10 for files that live inside a jar, as the built-in web client does when the server runs
 * from its jar (`./parley`, the release): they have no file descriptor, so sendfile cannot send
 * them. The server once answered them 200 with an empty body, which left users with a blank
 * page; every other test serves a directory and could not see it.
 */
class JarStaticFilesTest {
    @Test
    void H10_filesInsideAJarAreServedWholeAndByRange(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("client.jar");
        StringBuilder script = new StringBuilder();
        for (int i = 0; script.length() < 100_000; i++) {           // several 16 KiB chunks
            script.append("export const line").append(i).append(" = ").append(i).append(";\n");
        }
        byte[] protocolJs = script.toString().getBytes(StandardCharsets.UTF_8);
        try (FileSystem zip = FileSystems.newFileSystem(jar, Map.of("create", "true"))) {
            Files.createDirectories(zip.getPath("/static"));
            Files.writeString(zip.getPath("/static/index.html"), "<p>landing</p>");
            Files.write(zip.getPath("/static/protocol.js"), protocolJs);
        }
        try (FileSystem zip = FileSystems.newFileSystem(jar);
             TestServer server = TestServer.builder().staticDir(zip.getPath("/static")).start(f -> { })) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(server.http("/protocol.js")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(protocolJs);

            HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(server.http("/protocol.js"))
                    .header("Range", "bytes=50000-50009").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(new String(range.body(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(protocolJs, 50_000, 10, StandardCharsets.UTF_8));

            HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(server.http("/") + "")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(index.body()).isEqualTo("<p>landing</p>");
        }
    }
}
