package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.parley.server.conformance.Proto.SHORT;
import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.obj;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec B.15, the summary of client messages: the rows about stream messages that can be
 * checked without any media (requests, unknown ids, empty ids, S18's abort).
 */
class SignallingSummaryTest {
    static TestServer server;
    static String group;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        group = Proto.standardGroup(server, "");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsClient joined(String user) {
        return Proto.joined(server, unique("c"), join(group, user, user.equals("x") ? "any" : user));
    }

    @Test
    void B15_S1_requestBeforeJoiningCloses1011() {
        try (WsClient c = server.handshake(unique("c"))) {
            c.send(msg("type", "request", "request", obj("", List.of("audio"))));
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1011, ""));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"audio\"", "[\"audio\"]", "{\"\":\"audio\"}", "{\"\":[1]}", "7"})
    void B15_S1_requestOfTheWrongShapeCloses1011(String request) {
        try (WsClient c = joined("bob")) {
            c.send("{\"type\":\"request\",\"request\":" + request + "}");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1011, ""));
        }
    }

    @Test
    void B15_S1_validRequestsAreSilent() {
        try (WsClient c = joined("bob")) {
            c.send(msg("type", "request", "request", obj("", List.of("audio", "video"), "screenshare", List.of(),
                    "camera", List.of("video-low", "unknown-kind"))));
            c.send(msg("type", "request", "request", null));
            c.send(msg("type", "request"));
            c.expectSilence(SHORT);
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void B15_S5_requestStreamForAnUnknownIdCloses1011() {
        try (WsClient c = joined("bob")) {
            c.send(msg("type", "requestStream", "id", "nope", "request", List.of("audio")));
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1011, ""));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"offer", "answer", "renegotiate", "close", "abort", "ice"})
    void B15_emptyIdIsProtocolError(String type) {
        try (WsClient c = joined("bob")) {
            c.send(msg("type", type, "id", "", "sdp", "v=0\r\n", "candidate", obj("candidate", "")));
            assertThat(Proto.nextError(c)).isEqualTo("empty id");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1002, "empty id"));
        }
    }

    @Test
    void B15_missingIdIsProtocolError() {
        try (WsClient c = joined("bob")) {
            c.send(msg("type", "abort"));
            assertThat(Proto.nextError(c)).isEqualTo("empty id");
            assertThat(c.awaitClose().code()).isEqualTo(1002);
        }
    }

    @Test
    void B15_S10_answerForAnUnknownIdGetsClose() {
        try (WsClient c = joined("bob")) {
            c.send(msg("type", "answer", "id", "d1", "sdp", "v=0\r\n"));
            assertThat(c.expectType("close")).isEqualTo(obj("type", "close", "id", "d1"));
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void B15_S13_abortIsAlwaysAnsweredByClose() {
        try (WsClient c = joined("x")) {
            c.send(msg("type", "abort", "id", "never-existed"));
            assertThat(c.expectType("close")).isEqualTo(obj("type", "close", "id", "never-existed"));
        }
    }

    @Test
    void B15_S12_S25_S22_unknownIdsAreIgnored() {
        try (WsClient c = joined("bob")) {
            c.send(msg("type", "renegotiate", "id", "u1"));
            c.send(msg("type", "close", "id", "u1"));
            c.send(msg("type", "ice", "id", "u1", "candidate", obj("candidate", "candidate:1 1 udp 1 127.0.0.1 9 typ host",
                    "sdpMid", "0", "sdpMLineIndex", 0)));
            c.expectSilence(SHORT);
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void B15_S22_nullOrAbsentCandidateIsProtocolError() {
        try (WsClient c = joined("bob")) {
            c.send(msg("type", "ice", "id", "u1", "candidate", null));
            assertThat(Proto.nextError(c)).isEqualTo("null candidate");
            assertThat(c.awaitClose()).isEqualTo(new WsClient.Closed(1002, "null candidate"));
        }
        try (WsClient c = joined("bob")) {
            c.send(msg("type", "ice", "id", "u1"));
            assertThat(Proto.nextError(c)).isEqualTo("null candidate");
        }
    }

    @Test
    void B15_S18_P6_offerWithoutPresentIsAbortedThenNotAuthorised() {
        String id = unique("c");
        try (WsClient c = Proto.joined(server, id, join(group, "x", "any"))) {
            c.send(msg("type", "offer", "id", "up1", "label", "camera", "sdp", "v=0\r\n"));
            JsonNode abort = c.next();
            assertThat(abort).isEqualTo(obj("type", "abort", "id", "up1"));
            JsonNode err = c.next();
            assertThat(isType(err, "usermessage", "error")).as("%s", err).isTrue();
            assertThat(err.path("value").asText()).isEqualTo("not authorised");
            assertThat(err.path("dest").asText()).isEqualTo(id);
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void B15_S18_offerBeforeJoiningIsAbortedThenNotAuthorised() {
        try (WsClient c = server.handshake(unique("c"))) {
            c.send(msg("type", "offer", "id", "up1", "sdp", "v=0\r\n"));
            assertThat(c.next()).isEqualTo(obj("type", "abort", "id", "up1"));
            assertThat(Proto.nextError(c)).isEqualTo("not authorised");
        }
    }
}
