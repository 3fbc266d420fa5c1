package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.parley.server.conformance.Proto.join;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec D.1 (password authorisation), observed through joins. */
class PasswordAuthTest {
    static final String PBKDF2 = """
            {"type": "pbkdf2", "hash": "sha-256", "key": "fe499504e8f144693fae828e8e371d50e019d0e4c84994fa03f7f445bd8a570a",
             "salt": "bcc1717851030776", "iterations": 4096}""";
    static final String BCRYPT = """
            {"type": "bcrypt", "key": "$2a$10$afOr2f33onT/nDFFyT3mbOq5FMSw1wWXfyTXQTBMbKvZpBkoD3Qwu"}""";
    static TestServer server;
    static String g;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(f -> f.group("pw", """
                {"users": {
                   "plain": {"password": "secret", "permissions": "op"},
                   "plainobj": {"password": {"type": "plain", "key": "k3y"}, "permissions": "present"},
                   "pbkdf2": {"password": %s, "permissions": "present"},
                   "bcrypt": {"password": %s, "permissions": "present"},
                   "wild": {"password": {"type": "wildcard"}, "permissions": "message"},
                   "notype": {"password": {"key": "x"}, "permissions": "message"},
                   "emptytype": {"password": {"type": "", "key": "x"}, "permissions": "message"},
                   "unknowntype": {"password": {"type": "scrypt", "key": "x"}, "permissions": "message"},
                   "nokey": {"password": {"type": "plain"}, "permissions": "message"},
                   "badhash": {"password": {"type": "pbkdf2", "hash": "md5", "key": "00", "salt": "00", "iterations": 1}},
                   "badhex": {"password": {"type": "pbkdf2", "hash": "sha-256", "key": "zz", "salt": "00", "iterations": 1}},
                   "": {"password": "empty-name", "permissions": "present"}
                 },
                 "wildcard-user": {"password": "guest", "permissions": "message"}}
                """.formatted(PBKDF2, BCRYPT)));
        g = "pw";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The joined reply's outcome: "joined:<username>:<permissions>" or the failure value. */
    private static String outcome(String group, String user, String password) {
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            JsonNode r = Proto.joinReply(c, join(group, user, password));
            if (!r.path("kind").asText().equals("join")) {
                return r.path("value").asText();
            }
            return "joined:" + r.path("username").asText() + ":" + String.join(",", Proto.strings(r.path("permissions")));
        }
    }

    @Test
    void D1_userEntryMatches() {
        assertThat(outcome(g, "plain", "secret")).isEqualTo("joined:plain:op,present,message,caption,token");
    }

    @Test
    void D1_userEntryShadowsTheWildcardUser() {
        assertThat(outcome(g, "plain", "guest")).isEqualTo("not authorised");
        assertThat(outcome(g, "pbkdf2", "guest")).isEqualTo("not authorised");
    }

    @Test
    void D1_wildcardUserKeepsTheClientUsername() {
        assertThat(outcome(g, "stranger", "guest")).isEqualTo("joined:stranger:message");
        assertThat(outcome(g, "stranger", "nope")).isEqualTo("not authorised");
    }

    @Test
    void D1_emptyUsernameIsAnOrdinaryName() {
        assertThat(outcome(g, "", "empty-name")).isEqualTo("joined::present,message");
        assertThat(outcome(g, "", "guest")).isEqualTo("not authorised");
    }

    @Test
    void D1_noWildcardMeansUnknownUsersAreRejected() {
        String other = unique("nowild");
        Proto.writeGroup(server, other, "{\"users\": {\"a\": {\"password\": \"a\", \"permissions\": \"op\"}}}");
        assertThat(outcome(other, "b", "a")).isEqualTo("not authorised");
        assertThat(outcome(other, "", "")).isEqualTo("not authorised");
    }

    @Test
    void D2_plainStringAndPlainObject() {
        assertThat(outcome(g, "plainobj", "k3y")).isEqualTo("joined:plainobj:present,message");
        assertThat(outcome(g, "plainobj", "K3Y")).isEqualTo("not authorised");
        assertThat(outcome(g, "plain", "secret ")).isEqualTo("not authorised");
    }

    @Test
    void D2_wildcardTypeMatchesAnyPassword() {
        assertThat(outcome(g, "wild", "whatever")).isEqualTo("joined:wild:message");
        assertThat(outcome(g, "wild", "")).isEqualTo("joined:wild:message");
    }

    @Test
    void D2_missingOrEmptyTypeNeverMatches() {
        assertThat(outcome(g, "notype", "x")).isEqualTo("not authorised");
        assertThat(outcome(g, "emptytype", "x")).isEqualTo("not authorised");
    }

    @Test
    void D3_pbkdf2TestVector() {
        assertThat(outcome(g, "pbkdf2", "pass")).isEqualTo("joined:pbkdf2:present,message");
        assertThat(outcome(g, "pbkdf2", "pass2")).isEqualTo("not authorised");
    }

    @Test
    void D4_bcryptHash() {
        assertThat(outcome(g, "bcrypt", "pass")).isEqualTo("joined:bcrypt:present,message");
        assertThat(outcome(g, "bcrypt", "Pass")).isEqualTo("not authorised");
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknowntype", "nokey", "badhash", "badhex"})
    void D5_malformedRecordIsInternalServerError(String user) {
        assertThat(outcome(g, user, "x")).isEqualTo("internal server error");
    }

    @Test
    void D5_malformedWildcardRecordIsAMismatch() {
        String other = unique("badwild");
        Proto.writeGroup(server, other, """
                {"wildcard-user": {"password": {"type": "scrypt", "key": "x"}, "permissions": "message"}}""");
        assertThat(outcome(other, "anyone", "x")).isEqualTo("not authorised");
    }

    @Test
    void D6_concurrentHashedLoginsAllSucceed() {
        List<CompletableFuture<String>> logins = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String user = i % 2 == 0 ? "pbkdf2" : "bcrypt";
            logins.add(CompletableFuture.supplyAsync(() -> outcome(g, user, "pass")));
        }
        for (int i = 0; i < logins.size(); i++) {
            assertThat(logins.get(i).join()).startsWith("joined:");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/lead", "trail/", "a//b", "a/../b", "./x", "x/.", "..", ".", "back\\slash"})
    void D7_invalidResultingUsernameIsNotAuthorised(String user) {
        assertThat(outcome(g, user, "guest")).isEqualTo("not authorised");
    }

    @Test
    void D7_validUsernamesWithSlashesAndDotsAreFine() {
        assertThat(outcome(g, "a/b", "guest")).isEqualTo("joined:a/b:message");
        assertThat(outcome(g, "a.b", "guest")).isEqualTo("joined:a.b:message");
        assertThat(outcome(g, "...", "guest")).isEqualTo("joined:...:message");
    }
}
