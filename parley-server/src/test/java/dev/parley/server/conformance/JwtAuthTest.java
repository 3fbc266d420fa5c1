package dev.parley.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.protocol.Json;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import static dev.parley.server.conformance.Proto.obj;
import static dev.parley.server.conformance.Proto.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec D.2 and D.3 (JWT authorisation), observed through joins; tokens are built with nimbus-jose-jwt. */
class JwtAuthTest {
    private static final byte[] HS256 = random(32);
    private static final byte[] HS384 = random(48);
    private static final byte[] HS_OTHER = random(32);
    private static ECKey ecKey;
    private static RSAKey rsaKey;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
        rsaKey = new RSAKeyGenerator(2048).keyID("rsa1").generate();
        server = TestServer.start();
        writeGroup("auth", keys(), "\"auto-subgroups\": true");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static ObjectNode oct(byte[] secret, String alg, String kid) {
        ObjectNode k = obj("kty", "oct", "alg", alg, "k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        if (kid != null) {
            k.put("kid", kid);
        }
        return k;
    }

    private static ObjectNode publicJwk(com.nimbusds.jose.jwk.JWK key, String alg) {
        try {
            ObjectNode k = (ObjectNode) Json.parse(key.toPublicJWK().toJSONString());
            k.put("alg", alg);
            return k;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ArrayNode keys() {
        ArrayNode a = Json.array();
        a.add(oct(HS256, "HS256", null));
        a.add(oct(HS384, "HS384", "h384"));
        a.add(publicJwk(ecKey, "ES256"));
        a.add(publicJwk(rsaKey, "RS256"));
        return a;
    }

    private static void writeGroup(String name, ArrayNode keys, String extra) {
        Proto.writeGroup(server, name, "{%s\"authKeys\": %s, \"users\": {\"taken\": {\"password\": \"t\", \"permissions\": \"op\"}}}"
                .formatted(extra.isEmpty() ? "" : extra + ",", Json.write(keys)));
    }

    private static String aud(String group) {
        return "http://127.0.0.1:" + server.port() + "/group/" + group + "/";
    }

    /** Claims valid for {@code group}: aud, exp in an hour, permissions present+message. */
    private static JWTClaimsSet.Builder claims(String group) {
        return new JWTClaimsSet.Builder().audience(aud(group))
                .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                .claim("permissions", List.of("present", "message"));
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String hs(JWTClaimsSet claims) {
        try {
            return sign(new MACSigner(HS256), JWSAlgorithm.HS256, null, claims);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** "joined:<username>:<permissions>", or "fail:<value>[:<error>]". */
    private static String outcome(String group, String token, String username, String password) {
        String id = unique("c");
        try (WsClient c = server.handshake(id)) {
            ObjectNode m = obj("type", "join", "kind", "join", "group", group, "token", token);
            if (username != null) {
                m.put("username", username);
            }
            if (password != null) {
                m.put("password", password);
            }
            JsonNode r = Proto.joinReply(c, Json.write(m));
            if (r.path("kind").asText().equals("join")) {
                return "joined:" + r.path("username").asText() + ":" + String.join(",", Proto.strings(r.path("permissions")));
            }
            return "fail:" + r.path("value").asText() + (r.has("error") ? ":" + r.path("error").asText() : "");
        }
    }

    private static String outcome(String group, String token) {
        return outcome(group, token, null, null);
    }

    @Test
    void D9_D12_D13_hs256WithSubject() {
        String t = hs(claims("auth").subject("alice").build());
        assertThat(outcome("auth", t)).isEqualTo("joined:alice:present,message");
        assertThat(outcome("auth", t, "bob", "wrong")).as("D9, D11: sub wins, password ignored")
                .isEqualTo("joined:alice:present,message");
    }

    @Test
    void D12_D13_es256AndRs256AndHs384() throws Exception {
        assertThat(outcome("auth", sign(new ECDSASigner(ecKey), JWSAlgorithm.ES256, "ec1",
                claims("auth").subject("e").build()))).isEqualTo("joined:e:present,message");
        assertThat(outcome("auth", sign(new RSASSASigner(rsaKey), JWSAlgorithm.RS256, null,
                claims("auth").subject("r").build()))).isEqualTo("joined:r:present,message");
        assertThat(outcome("auth", sign(new MACSigner(HS384), JWSAlgorithm.HS384, "h384",
                claims("auth").subject("h").build()))).isEqualTo("joined:h:present,message");
    }

    @Test
    void D12_wrongKeyOrWrongKidIsRejected() throws Exception {
        assertThat(outcome("auth", sign(new MACSigner(HS_OTHER), JWSAlgorithm.HS256, null, claims("auth").build())))
                .isEqualTo("fail:not authorised");
        assertThat(outcome("auth", sign(new MACSigner(HS384), JWSAlgorithm.HS384, "other-kid", claims("auth").build())))
                .isEqualTo("fail:not authorised");
        assertThat(outcome("auth", sign(new MACSigner(random(64)), JWSAlgorithm.HS512, null, claims("auth").build())))
                .as("no key with alg HS512").isEqualTo("fail:not authorised");
    }


    @Test
    void D12_algNoneIsNeverAccepted() {
        String none = new PlainJWT(claims("auth").subject("mallory").build()).serialize();
        assertThat(outcome("auth", none)).isEqualTo("fail:not authorised");
    }

    @Test
    void D12_severalCandidatesAreTriedInTurn() throws Exception {
        String g = unique("multi");
        ArrayNode keys = Json.array();
        keys.add(oct(HS_OTHER, "HS256", null));
        keys.add(oct(HS256, "HS256", null));
        writeGroup(g, keys, "");
        assertThat(outcome(g, hs(claims(g).subject("s").build()))).isEqualTo("joined:s:present,message");
    }

    @Test
    void D12_D13_malformedCandidateKeyRejectsTheToken() {
        String g = unique("malformed");
        ArrayNode keys = Json.array();
        keys.add(oct(random(31), "HS256", null));   // wrong length for HS256
        keys.add(oct(HS256, "HS256", null));
        writeGroup(g, keys, "");
        assertThat(outcome(g, hs(claims(g).build()))).isEqualTo("fail:not authorised");
    }

    @Test
    void D8_D9_D10_noSubjectUsesClientUsernameAndNeverNeedsOne() {
        String t = hs(claims("auth").build());
        assertThat(outcome("auth", t, "carol", null)).isEqualTo("joined:carol:present,message");
        assertThat(outcome("auth", t)).isEqualTo("joined::present,message");
        String emptySub = hs(claims("auth").subject("").build());
        assertThat(outcome("auth", emptySub, "dave", null)).isEqualTo("joined:dave:present,message");
    }

    @Test
    void D9_J7_clientUsernameThatIsAUserEntryIsDuplicate() {
        String t = hs(claims("auth").build());
        assertThat(outcome("auth", t, "taken", null)).isEqualTo("fail:not authorised: this username is taken:duplicate-username");
        String withSub = hs(claims("auth").subject("alice").build());
        assertThat(outcome("auth", withSub, "taken", null)).isEqualTo("joined:alice:present,message");
    }

    @Test
    void D8_invalidJwtIsNotLookedUpAsStatefulToken() throws Exception {
        String bad = sign(new MACSigner(HS_OTHER), JWSAlgorithm.HS256, null, claims("auth").build());
        var file = server.files().data().resolve("var/tokens.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.write(obj("token", bad, "group", "auth", "username", "s",
                "permissions", List.of("message"), "expires", Instant.now().plusSeconds(3600).toString())) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertThat(outcome("auth", bad)).isEqualTo("fail:not authorised");
    }

    @Test
    void D14_expIsRequiredAndChecked() {
        assertThat(outcome("auth", hs(claims("auth").expirationTime(null).build()))).isEqualTo("fail:not authorised");
        assertThat(outcome("auth", hs(claims("auth").expirationTime(Date.from(Instant.now().minusSeconds(60))).build())))
                .isEqualTo("fail:not authorised");
        assertThat(outcome("auth", hs(claims("auth").expirationTime(Date.from(Instant.now().minusSeconds(2))).build())))
                .as("within 5 s of skew").startsWith("joined:");
    }

    @Test
    void D14_nbfAndIat() {
        assertThat(outcome("auth", hs(claims("auth").notBeforeTime(Date.from(Instant.now().plusSeconds(60))).build())))
                .isEqualTo("fail:not authorised");
        assertThat(outcome("auth", hs(claims("auth").notBeforeTime(Date.from(Instant.now().plusSeconds(2))).build())))
                .startsWith("joined:");
        assertThat(outcome("auth", hs(claims("auth").notBeforeTime(Date.from(Instant.now().minusSeconds(60))).build())))
                .startsWith("joined:");
        assertThat(outcome("auth", hs(claims("auth").issueTime(Date.from(Instant.now().plusSeconds(60))).build())))
                .isEqualTo("fail:not authorised");
        assertThat(outcome("auth", hs(claims("auth").issueTime(Date.from(Instant.now().minusSeconds(60))).build())))
                .startsWith("joined:");
    }

    @Test
    void D14_P5_permissionsClaimIsVerbatim() {
        assertThat(outcome("auth", hs(claims("auth").claim("permissions", null).build()))).isEqualTo("joined::");
        assertThat(outcome("auth", hs(claims("auth").claim("permissions", List.of("op")).build()))).isEqualTo("joined::op");
        assertThat(outcome("auth", hs(claims("auth").claim("permissions", "op").build()))).isEqualTo("fail:not authorised");
        assertThat(outcome("auth", hs(claims("auth").claim("permissions", List.of("op", 3)).build())))
                .isEqualTo("fail:not authorised");
        assertThat(outcome("auth", hs(claims("auth").issuer("whoever").build()))).as("iss ignored").startsWith("joined:");
    }

    @Test
    void D15_audienceArrayAndPathRules() {
        assertThat(outcome("auth", hs(claims("auth").audience(List.of("https://x.example/group/other/", aud("auth"))).build())))
                .startsWith("joined:");
        assertThat(outcome("auth", hs(claims("auth").audience("https://any.host.example:1/group/auth/").build())))
                .as("no canonicalHost: any host, any scheme").startsWith("joined:");
        assertThat(outcome("auth", hs(claims("auth").audience("wss://h/group/auth/").build()))).startsWith("joined:");
        assertThat(outcome("auth", hs(claims("auth").audience("http://h/group/auth").build()))).isEqualTo("fail:not authorised");
        assertThat(outcome("auth", hs(claims("auth").audience("http://h/group/other/").build()))).isEqualTo("fail:not authorised");
        assertThat(outcome("auth", hs(claims("auth").audience((String) null).build()))).isEqualTo("fail:not authorised");
    }

    @Test
    void D15_D16_subgroupsNeedIncludeSubgroups() {
        String parentToken = hs(claims("auth").build());
        assertThat(outcome("auth/sub", parentToken)).isEqualTo("fail:not authorised");
        String hier = hs(claims("auth").claim("include-subgroups", true).build());
        assertThat(outcome("auth/sub", hier)).startsWith("joined:");
        assertThat(outcome("auth/sub/deeper", hier)).startsWith("joined:");
        assertThat(outcome("auth", hier)).startsWith("joined:");
        String root = hs(claims("auth").audience("http://h/group/").claim("include-subgroups", true).build());
        assertThat(outcome("auth/sub", root)).startsWith("joined:");
        String g = unique("authx");
        writeGroup(g, keys(), "");
        String prefixOnly = hs(claims("auth").audience("http://h/group/au/").claim("include-subgroups", true).build());
        assertThat(outcome("auth", prefixOnly)).as("/group/au/ does not cover auth").isEqualTo("fail:not authorised");
    }

    @Test
    void D15_D16_canonicalHostIsComparedWithPort() throws Exception {
        try (TestServer canon = TestServer.start(f -> {
            f.data("config.json", "{\"canonicalHost\": \"galene.org\"}");
            f.group("auth", "{\"authKeys\": " + Json.write(keys()) + "}");
        })) {
            String withPort = hs(claims("auth").audience("https://galene.org:8443/group/auth/").build());
            String exact = hs(claims("auth").audience("https://GALENE.org/group/auth/").build());
            String otherHost = hs(claims("auth").audience("https://example.org/group/auth/").build());
            for (var c : List.of(new Object[]{withPort, "fail:not authorised"}, new Object[]{exact, "joined::present,message"},
                    new Object[]{otherHost, "fail:not authorised"})) {
                String id = unique("c");
                try (WsClient ws = canon.handshake(id)) {
                    JsonNode r = Proto.joinReply(ws, Proto.tokenJoin("auth", (String) c[0]));
                    String got = r.path("kind").asText().equals("join")
                            ? "joined:" + r.path("username").asText() + ":" + String.join(",", Proto.strings(r.path("permissions")))
                            : "fail:" + r.path("value").asText();
                    assertThat(got).isEqualTo(c[1]);
                }
            }
        }
    }

    @Test
    void D7_invalidSubjectIsNotAuthorised() {
        assertThat(outcome("auth", hs(claims("auth").subject("../etc").build()))).isEqualTo("fail:not authorised");
        assertThat(outcome("auth", hs(claims("auth").build()), "/bad", null)).isEqualTo("fail:not authorised");
    }

    @Test
    void J10_tokenFailuresAreDelayedToo() {
        try (WsClient c = server.handshake(unique("c"))) {
            long start = System.nanoTime();
            JsonNode r = Proto.joinReply(c, Proto.tokenJoin("auth", hs(claims("other").build())));
            assertThat(r.path("value").asText()).isEqualTo("not authorised");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(190);
        }
    }

    @Test
    void J10_D8_garbageTokenIsNotAuthorised() {
        assertThat(outcome("auth", "not.a.jwt")).isEqualTo("fail:not authorised");
        assertThat(outcome("auth", "eyJhbGciOiJIUzI1NiJ9.eyJ9.x")).isEqualTo("fail:not authorised");
    }
}
