package dev.parley.server.auth;

import dev.parley.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthoriserPasswordTest {
    @TempDir
    Path dir;

    private Authoriser authoriser() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        return new Authoriser(new TokenStore(dir.resolve("var/tokens.jsonl"), clock), () -> null, clock);
    }

    private static UserDescription user(String json) throws Exception {
        return UserDescription.parse(Json.parse(json));
    }

    private static AuthPolicy policy(Map<String, UserDescription> users, UserDescription wildcard,
                                     boolean allowRecording) {
        return new AuthPolicy(users, wildcard, List.of(), allowRecording, false);
    }

    @Test
    void D1_namedUserGetsItsPermissions() throws Exception {
        AuthPolicy p = policy(Map.of("alice", user("{\"password\":\"pw\",\"permissions\":\"op\"}")), null, true);
        assertThat(authoriser().authorise("g", p, "alice", "pw", null)).isEqualTo(new AuthResult.Granted("alice",
                List.of("record", "op", "present", "message", "caption", "token")));
        assertThat(authoriser().authorise("g", p, "alice", "wrong", null)).isEqualTo(new AuthResult.Denied());
        assertThat(authoriser().authorise("g", p, "bob", "pw", null)).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D1_userShadowsWildcard() throws Exception {
        AuthPolicy p = policy(Map.of("alice", user("{\"password\":\"pw\",\"permissions\":\"op\"}")),
                user("{\"password\":{\"type\":\"wildcard\"},\"permissions\":\"present\"}"), false);
        // The wildcard accepts any password, but alice has her own entry, which alone decides.
        assertThat(authoriser().authorise("g", p, "alice", "other", null)).isEqualTo(new AuthResult.Denied());
        assertThat(authoriser().authorise("g", p, "bob", "other", null))
                .isEqualTo(new AuthResult.Granted("bob", List.of("present", "message")));
    }

    @Test
    void D1_emptyUsernameIsAUsername() throws Exception {
        AuthPolicy p = policy(Map.of("", user("{\"password\":\"pw\",\"permissions\":\"message\"}")), null, false);
        assertThat(authoriser().authorise("g", p, "", "pw", null))
                .isEqualTo(new AuthResult.Granted("", List.of("message")));
        assertThat(authoriser().authorise("g", p, "", "x", null)).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D1_absentPasswordIsTheEmptyPassword() throws Exception {
        AuthPolicy p = policy(Map.of("a", user("{\"password\":\"\"}")), null, false);
        assertThat(authoriser().authorise("g", p, "a", null, null)).isEqualTo(new AuthResult.Granted("a", List.of()));
    }

    @Test
    void D5_malformedUserPasswordIsInternalError() throws Exception {
        AuthPolicy p = policy(Map.of("alice", user("{\"password\":{\"type\":\"rot13\",\"key\":\"x\"}}")),
                user("{\"password\":{\"type\":\"wildcard\"}}"), false);
        AuthResult r = authoriser().authorise("g", p, "alice", "x", null);
        assertThat(r).isInstanceOf(AuthResult.Failed.class);
        assertThat(r.failureText()).isEqualTo("internal server error");
    }

    @Test
    void D5_malformedWildcardPasswordIsAMismatch() throws Exception {
        AuthPolicy p = policy(Map.of(), user("{\"password\":{\"type\":\"pbkdf2\",\"hash\":\"md5\"}}"), false);
        assertThat(authoriser().authorise("g", p, "bob", "x", null)).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D7_invalidUsernamesAreRefused() throws Exception {
        AuthPolicy p = policy(Map.of(), user("{\"password\":{\"type\":\"wildcard\"}}"), false);
        for (String bad : new String[] {"a\\b", "/a", "a/", "a//b", ".", "..", "a/../b", "a/./b"}) {
            assertThat(authoriser().authorise("g", p, bad, "x", null)).as(bad).isEqualTo(new AuthResult.Denied());
        }
        for (String good : new String[] {"", "a/b", "Alice c/o Bob", "jch@work", "...", ".a"}) {
            assertThat(authoriser().authorise("g", p, good, "x", null)).as(good)
                    .isEqualTo(new AuthResult.Granted(good, List.of()));
        }
    }

    @Test
    void J5_neitherUsernameNorTokenIsInternalError() throws Exception {
        AuthPolicy p = policy(Map.of(), user("{\"password\":{\"type\":\"wildcard\"}}"), false);
        assertThat(authoriser().authorise("g", p, null, "x", null)).isInstanceOf(AuthResult.Failed.class);
        assertThat(authoriser().authorise("g", p, null, "x", "")).isInstanceOf(AuthResult.Failed.class);
    }

    @Test
    void J5_emptyTokenMeansPasswordAuthorisation() throws Exception {
        AuthPolicy p = policy(Map.of("a", user("{\"password\":\"pw\"}")), null, false);
        assertThat(authoriser().authorise("g", p, "a", "pw", "")).isEqualTo(new AuthResult.Granted("a", List.of()));
    }

    @Test
    void J5_tokenTakesPrecedenceOverPassword() throws Exception {
        AuthPolicy p = policy(Map.of("a", user("{\"password\":\"pw\"}")), null, false);
        // A correct password does not help when a (here unknown) token is given.
        assertThat(authoriser().authorise("g", p, "a", "pw", "unknown")).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void P2_REF_DEFECT_eachGrantOwnsItsPermissions() throws Exception {
        AuthPolicy p = policy(new LinkedHashMap<>(Map.of(
                "a", user("{\"password\":\"x\",\"permissions\":\"present\"}"),
                "b", user("{\"password\":\"x\",\"permissions\":\"present\"}"))), null, false);
        Authoriser auth = authoriser();
        AuthResult.Granted a = (AuthResult.Granted) auth.authorise("g", p, "a", "x", null);
        a.permissions().remove("present");
        a.permissions().add("message");
        AuthResult.Granted b = (AuthResult.Granted) auth.authorise("g", p, "b", "x", null);
        assertThat(b.permissions()).containsExactly("present", "message");
    }

    @Test
    void J9_failureTexts() {
        assertThat(new AuthResult.Denied().failureText()).isEqualTo("not authorised");
        assertThat(new AuthResult.Denied().errorId()).isNull();
        assertThat(new AuthResult.NeedUsername().errorId()).isEqualTo("need-username");
        assertThat(new AuthResult.NeedUsername().failureText()).isEqualTo("username required");
        assertThat(new AuthResult.DuplicateUsername().errorId()).isEqualTo("duplicate-username");
        assertThat(new AuthResult.DuplicateUsername().failureText())
                .isEqualTo("not authorised: this username is taken");
        assertThat(new AuthResult.Failed("x").failureText()).isEqualTo("internal server error");
    }

}
