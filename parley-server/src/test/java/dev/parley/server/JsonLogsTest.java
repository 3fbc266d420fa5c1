package dev.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.testing.ServerProcess;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code -log-format json}: every log line is one JSON object with time, level, logger and message. */
class JsonLogsTest {
    @Test
    void jsonLogFormatWritesOneObjectPerLine() throws Exception {
        Path root = Files.createTempDirectory("parley-jsonlogs-");
        List<String> output;
        String clientId = "json-logs-client";
        try (ServerProcess server = ServerProcess.start(root, "-log-format", "json")) {
            assertThat(server.awaitListening()).isTrue();
            try (WsClient ws = WsClient.open(URI.create("ws://127.0.0.1:" + server.port() + "/ws"),
                    "http://127.0.0.1:" + server.port())) {
                ws.send("{\"type\":\"handshake\",\"version\":[\"2\"],\"id\":\"" + clientId + "\"}");
                ws.send("{\"type\":\"join\",\"kind\":\"join\",\"group\":\"demo\",\"username\":\"alice\\nforged\"}");
                assertThat(ws.expectMatching(m -> "joined".equals(m.path("type").asText())).path("kind").asText())
                        .isEqualTo("join");
            }
            output = server.stop();
        }
        ObjectMapper mapper = new ObjectMapper();
        List<String> logLines = output.stream().filter(l -> l.startsWith("{")).toList();
        assertThat(logLines).as("the server logs at start (listening on …)").isNotEmpty();
        // Everything else it prints is the start banner on standard output, meant for a person.
        assertThat(output.stream().filter(l -> !l.startsWith("{")))
                .allMatch(l -> l.startsWith("Parley is listening") || l.startsWith("Open ") || l.startsWith("Created "));
        for (String line : logLines) {
            JsonNode event = mapper.readTree(line);
            assertThat(event.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(event.path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(event.path("logger").asText()).startsWith("dev.parley");
            assertThat(event.has("message")).isTrue();
        }
        assertThat(logLines).anySatisfy(l -> assertThat(mapper.readTree(l).path("message").asText()).startsWith("listening on"));
        // A session's lines name its group and user (the client id); a name cannot forge a line.
        assertThat(logLines).anySatisfy(l -> {
            JsonNode event = mapper.readTree(l);
            assertThat(event.path("message").asText()).isEqualTo("joined as \"alice?forged\"");
            assertThat(event.path("group").asText()).isEqualTo("demo");
            assertThat(event.path("user").asText()).isEqualTo(clientId);
        });
    }

    @Test
    void anUnknownLogFormatIsRefusedAtStart() throws Exception {
        Path root = Files.createTempDirectory("parley-jsonlogs-");
        try (ServerProcess server = ServerProcess.start(root, "-log-format", "xml")) {
            assertThat(server.awaitListening()).isFalse();
            assertThat(server.stop()).anySatisfy(l -> assertThat(l).contains("-log-format"));
        }
    }
}
