package dev.parley.server.auth;

import dev.parley.protocol.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthoriserStatefulTest {
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    @TempDir
    Path dir;
    private MutableClock clock;
    private TokenStore store;
    private Authoriser authoriser;
    private AuthPolicy policy;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(NOW);
        store = new TokenStore(dir.resolve("var/tokens.jsonl"), clock);
        authoriser = new Authoriser(store, () -> "galene.org", clock);
        policy = new AuthPolicy(
                Map.of("taken", UserDescription.parse(Json.parse("{\"password\":\"pw\",\"permissions\":\"op\"}"))),
                null, List.of(), true, true);
    }

    private void add(String name, String group, boolean sub, String username, List<String> perms) {
        store.add(new StatefulToken(name, group, sub, username, perms, NOW.plus(Duration.ofHours(1)), null, null,
                null));
    }

    @Test
    void D10_noUsernameFieldNeedsClientUsername() {
        add("tok", "g", false, null, List.of("present"));
        assertThat(authoriser.authorise("g", policy, null, null, "tok")).isEqualTo(new AuthResult.NeedUsername());
        assertThat(authoriser.authorise("g", policy, "bob", null, "tok"))
                .isEqualTo(new AuthResult.Granted("bob", List.of("present")));
        assertThat(authoriser.authorise("g", policy, "", null, "tok"))
                .isEqualTo(new AuthResult.Granted("", List.of("present")));
    }

    @Test
    void D10_emptyUsernameNeverNeedsUsername() {
        add("tok", "g", false, "", null);
        assertThat(authoriser.authorise("g", policy, null, null, "tok")).isEqualTo(new AuthResult.Granted("", List.of()));
        assertThat(authoriser.authorise("g", policy, "bob", null, "tok"))
                .isEqualTo(new AuthResult.Granted("bob", List.of()));
    }

    @Test
    void D9_tokenUsernameOverridesClient() {
        add("tok", "g", false, "alice", List.of("message"));
        assertThat(authoriser.authorise("g", policy, "taken", "pw", "tok"))
                .isEqualTo(new AuthResult.Granted("alice", List.of("message")));
    }

    @Test
    void D9_clientUsernameOfAUsersEntryIsDuplicate() {
        add("tok", "g", false, null, List.of("message"));
        assertThat(authoriser.authorise("g", policy, "taken", "pw", "tok"))
                .isEqualTo(new AuthResult.DuplicateUsername());
        add("tok2", "g", false, "", List.of("message"));
        assertThat(authoriser.authorise("g", policy, "taken", "pw", "tok2"))
                .isEqualTo(new AuthResult.DuplicateUsername());
    }

    @Test
    void D11_namesMatchExactly() {
        add("Tok", "g", false, "", null);
        assertThat(authoriser.authorise("g", policy, "bob", null, "tok")).isEqualTo(new AuthResult.Denied());
        assertThat(authoriser.authorise("g", policy, "bob", null, "Tok")).isInstanceOf(AuthResult.Granted.class);
    }

    @Test
    void D19_expiredNotYetValidAndWrongGroupAreRefused() {
        store.add(new StatefulToken("exp", "g", false, "", null, NOW.minusSeconds(1), null, null, null));
        store.add(new StatefulToken("nbf", "g", false, "", null, NOW.plusSeconds(100), NOW.plusSeconds(1), null,
                null));
        store.add(new StatefulToken("forever", "g", false, "", null, null, null, null, null));
        add("other", "h", false, "", null);
        for (String name : List.of("exp", "nbf", "forever", "other", "unknown")) {
            assertThat(authoriser.authorise("g", policy, "bob", null, name)).as(name)
                    .isEqualTo(new AuthResult.Denied());
        }
        clock.advance(Duration.ofSeconds(2));
        assertThat(authoriser.authorise("g", policy, "bob", null, "nbf")).isInstanceOf(AuthResult.Granted.class);
    }

    @Test
    void D19_hierarchicalTokens() {
        add("sub", "a", true, "", List.of("op"));
        add("global", "", true, "", List.of("admin"));
        assertThat(authoriser.authorise("a/b/c", policy, null, null, "sub"))
                .isEqualTo(new AuthResult.Granted("", List.of("op")));
        assertThat(authoriser.authorise("ab", policy, null, null, "sub")).isEqualTo(new AuthResult.Denied());
        assertThat(authoriser.authorise("x/y", policy, null, null, "global"))
                .isEqualTo(new AuthResult.Granted("", List.of("admin")));
        assertThat(authoriser.isGlobalAdminToken("global")).isTrue();
        assertThat(authoriser.isGlobalAdminToken("sub")).isFalse();
        assertThat(authoriser.isGlobalAdminToken("nope")).isFalse();
    }

    @Test
    void D7_invalidTokenUsernameIsRefused() {
        add("bad", "g", false, "a/../b", null);
        assertThat(authoriser.authorise("g", policy, null, null, "bad")).isEqualTo(new AuthResult.Denied());
        add("free", "g", false, null, null);
        assertThat(authoriser.authorise("g", policy, "x\\y", null, "free")).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void P5_tokenPermissionsAreVerbatimAndOwned() {
        add("tok", "g", false, "", List.of("present"));
        AuthResult.Granted first = (AuthResult.Granted) authoriser.authorise("g", policy, null, null, "tok");
        assertThat(first.permissions()).containsExactly("present");
        first.permissions().add("op");
        assertThat(((AuthResult.Granted) authoriser.authorise("g", policy, null, null, "tok")).permissions())
                .containsExactly("present");
    }

    @Test
    void D18_unreadableTokensFileRefusesTokens() throws Exception {
        add("tok", "g", false, "", null);
        Files.writeString(store.file(), "garbage\n");
        assertThat(authoriser.authorise("g", policy, null, null, "tok")).isEqualTo(new AuthResult.Denied());
    }
}
