package dev.parley.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a scenario written against the seed API of protocol.js (ServerConnection, Stream,
 * TransferredFile) inside a real browser, against the real server: connect, join, chat,
 * userMessage, userAction, groupAction, request, leave, close.
 */
@Tag("browser")
class ProtocolApiBrowserTest {
    private TestServer server;
    private Browsers browsers;

    @BeforeEach
    void start() throws IOException {
        Browsers.assumeAvailable();
        server = TestServer.start(TestGroups::write);
        browsers = new Browsers();
    }

    @AfterEach
    void stop() {
        if (browsers != null) {
            browsers.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void J11_C6_M1_UA7_GA3_J24_seedApiScenarioPasses() throws Exception {
        WebDriver page = browsers.open();
        page.get(server.http("/").toString());
        Object raw = ((JavascriptExecutor) page).executeAsyncScript(scenario(), server.ws().toString(), TestGroups.GROUP);
        JsonNode result = new ObjectMapper().readTree(String.valueOf(raw));

        assertThat(result.path("error").asText("")).as("scenario error").isEmpty();
        List<String> failed = new ArrayList<>();
        for (JsonNode c : result.path("checks")) {
            if (!c.path("ok").asBoolean()) {
                failed.add(c.path("name").asText() + ": " + c.path("detail").asText());
            }
        }
        assertThat(failed).as("failed checks").isEmpty();
        // every step ran: a scenario that stopped early would report fewer checks
        assertThat(result.path("checks")).hasSize(30);
    }

    private static String scenario() throws IOException {
        try (InputStream in = ProtocolApiBrowserTest.class.getResourceAsStream("/web/api-scenario.js")) {
            assertThat(in).as("api-scenario.js on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
