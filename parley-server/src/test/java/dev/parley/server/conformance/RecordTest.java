package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static dev.parley.server.conformance.Proto.SHORT;
import static dev.parley.server.conformance.Proto.isType;
import static dev.parley.server.conformance.Proto.isUser;
import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.msg;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** The recorder as seen on the wire: GA4, GA5, U3, and kicking it (B.11). */
class RecordTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A group where the op also has {@code record} (allow-recording), bob presents. */
    private static String recordingGroup() {
        return Proto.standardGroup(server, "\"allow-recording\": true");
    }

    private static String record(String kind) {
        return msg("type", "groupaction", "kind", kind);
    }

    private static boolean isRecorderAdd(JsonNode m) {
        return isType(m, "user", "add") && "RECORDING".equals(m.path("username").asText());
    }

    private static void assertRecorderUser(JsonNode add) {
        assertThat(add.path("id").asText()).matches("[0-9a-f]{32}");
        assertThat(add.path("username").asText()).isEqualTo("RECORDING");
        assertThat(Proto.strings(add.path("permissions"))).containsExactly("system");
        assertThat(add.has("data")).as("no data").isFalse();
    }

    @Test
    void GA4_U3_recordAddsARecorderThatEveryMemberSeesAndThatCounts() throws Exception {
        String g = recordingGroup();
        String opId = unique("op"), bobId = unique("bob");
        try (WsClient op = Proto.joined(server, opId, join(g, "op", "op"));
             WsClient bob = Proto.joined(server, bobId, join(g, "bob", "bob"))) {
            op.expectMatching(m -> isUser(m, "add", bobId));
            op.send(record("record"));
            JsonNode seenByOp = op.expectMatching(RecordTest::isRecorderAdd);
            JsonNode seenByBob = bob.expectMatching(RecordTest::isRecorderAdd);
            assertRecorderUser(seenByOp);
            assertThat(seenByBob.path("id").asText()).isEqualTo(seenByOp.path("id").asText());
            assertThat(server.server().context().groups().getLoaded(g).clientCount()).isEqualTo(3);

            String newcomer = unique("n");
            try (WsClient late = server.handshake(newcomer)) {
                late.send(join(g, "x", "any"));
                late.expectType("joined");
                JsonNode lateAdd = late.expectMatching(RecordTest::isRecorderAdd);
                assertThat(lateAdd.path("id").asText()).isEqualTo(seenByOp.path("id").asText());
                assertRecorderUser(lateAdd);
            }

            Path dir = server.recordingsDir().resolve(g);
            assertThat(dir).as("MD15: the group's directory").isDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        }
    }

    @Test
    void GA4_aSecondRecordIsAlreadyRecording() {
        String g = recordingGroup();
        try (WsClient op = Proto.joined(server, unique("op"), join(g, "op", "op"))) {
            op.send(record("record"));
            op.expectMatching(RecordTest::isRecorderAdd);
            op.send(record("record"));
            assertThat(Proto.nextError(op)).isEqualTo("already recording");
            assertThat(op.isClosed()).isFalse();
            assertThat(server.server().context().groups().getLoaded(g).clientCount()).isEqualTo(2);
        }
    }

    @Test
    void GA5_unrecordRemovesTheRecorderAndDoesNothingWithoutOne() {
        String g = recordingGroup();
        String bobId = unique("bob");
        try (WsClient op = Proto.joined(server, unique("op"), join(g, "op", "op"));
             WsClient bob = Proto.joined(server, bobId, join(g, "bob", "bob"))) {
            op.send(record("record"));
            String recorder = op.expectMatching(RecordTest::isRecorderAdd).path("id").asText();
            bob.expectMatching(RecordTest::isRecorderAdd);
            op.send(record("unrecord"));
            op.expectMatching(m -> isUser(m, "delete", recorder));
            bob.expectMatching(m -> isUser(m, "delete", recorder));
            assertThat(server.server().context().groups().getLoaded(g).clientCount()).isEqualTo(2);

            op.send(record("unrecord"));
            op.expectSilence(SHORT);
            op.send(record("record"));
            assertThat(op.expectMatching(RecordTest::isRecorderAdd).path("id").asText())
                    .as("recording can start again, with a new recorder").isNotEqualTo(recorder);
        }
    }

    @Test
    void GA4_GA5_onlyMembersWithRecordMayRecord() {
        String g = recordingGroup();
        try (WsClient op = Proto.joined(server, unique("op"), join(g, "op", "op"));
             WsClient bob = Proto.joined(server, unique("bob"), join(g, "bob", "bob"))) {
            bob.send(record("record"));
            assertThat(Proto.nextError(bob)).isEqualTo("not authorised");
            op.send(record("record"));
            String recorder = op.expectMatching(RecordTest::isRecorderAdd).path("id").asText();
            bob.send(record("unrecord"));
            assertThat(Proto.nextError(bob)).isEqualTo("not authorised");
            op.expectSilence(SHORT);
            assertThat(server.server().context().groups().getLoaded(g).member(recorder)).isNotNull();
        }
    }

    @Test
    void UA4_kickingTheRecorderStopsIt() {
        String g = recordingGroup();
        try (WsClient op = Proto.joined(server, unique("op"), join(g, "op", "op"))) {
            op.send(record("record"));
            String recorder = op.expectMatching(RecordTest::isRecorderAdd).path("id").asText();
            op.send(msg("type", "useraction", "kind", "kick", "dest", recorder));
            op.expectMatching(m -> isUser(m, "delete", recorder));
            assertThat(server.server().context().groups().getLoaded(g).clientCount()).isEqualTo(1);
        }
    }
}
