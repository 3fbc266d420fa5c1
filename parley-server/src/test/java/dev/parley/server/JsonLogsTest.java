package dev.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.testing.ServerProcess;
import org.junit.jupiter.api.Test;

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
        try (ServerProcess server = ServerProcess.start(root, "-log-format", "json")) {
            assertThat(server.awaitListening()).isTrue();
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
