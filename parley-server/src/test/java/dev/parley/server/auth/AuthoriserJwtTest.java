package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class AuthoriserJwtTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static byte[] hsSecret;
    private static ECKey ecKey;
    private static RSAKey rsaKey;

    @TempDir
    Path dir;
    private MutableClock clock;
    private TokenStore store;
    private String canonicalHost;
    private Authoriser authoriser;

    @BeforeAll
    static void keys() throws Exception {
        hsSecret = new byte[32];
        new SecureRandom().nextBytes(hsSecret);
        ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec1").generate();
        rsaKey = new RSAKeyGenerator(2048).keyID("rsa1").generate();
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(NOW);
        store = new TokenStore(dir.resolve("var/tokens.jsonl"), clock);
        canonicalHost = null;
        authoriser = new Authoriser(store, () -> canonicalHost, clock);
    }

    private static ObjectNode hsJwk(byte[] secret, String alg) {
        ObjectNode k = Json.object();
        k.put("kty", "oct");
        k.put("alg", alg);
        k.put("k", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        return k;
    }

    private static JsonNode publicJwk(com.nimbusds.jose.jwk.JWK key, String alg) throws Exception {
        ObjectNode k = (ObjectNode) Json.parse(key.toPublicJWK().toJSONString());
        k.put("alg", alg);
        return k;
    }

    private static JWTClaimsSet.Builder claims(String aud) {
        return new JWTClaimsSet.Builder()
                .audience(aud)
                .expirationTime(Date.from(NOW.plusSeconds(3600)))
                .issueTime(Date.from(NOW.minusSeconds(10)))
                .claim("permissions", List.of("present", "message"));
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String hs(JWTClaimsSet claims) throws Exception {
        return sign(new MACSigner(hsSecret), JWSAlgorithm.HS256, null, claims);
    }

    private static AuthPolicy policy(List<JsonNode> keys) throws Exception {
        return new AuthPolicy(Map.of("taken", UserDescription.parse(Json.parse("{\"password\":\"x\"}"))), null,
                keys, true, true);
    }

    private AuthResult authorise(String group, String token, String username) throws Exception {
        return authoriser.authorise(group, policy(List.of(hsJwk(hsSecret, "HS256"))), username, null, token);
    }

    private static final String AUD = "https://galene.org:8443/group/auth/";

    @Test
    void D12_hs256Valid() throws Exception {
        String token = hs(claims(AUD).subject("alice").build());
        // P5: token permissions are verbatim, never augmented even with allow-recording/unrestricted-tokens.
        assertThat(authorise("auth", token, "ignored"))
                .isEqualTo(new AuthResult.Granted("alice", List.of("present", "message")));
    }

    @Test
    void D13_es256Valid() throws Exception {
        String token = sign(new ECDSASigner(ecKey), JWSAlgorithm.ES256, "ec1", claims(AUD).subject("e").build());
        AuthPolicy p = policy(List.of(hsJwk(hsSecret, "HS256"), publicJwk(ecKey, "ES256")));
        assertThat(authoriser.authorise("auth", p, null, null, token))
                .isEqualTo(new AuthResult.Granted("e", List.of("present", "message")));
    }

    @Test
    void D13_rs256Valid() throws Exception {
        String token = sign(new RSASSASigner(rsaKey), JWSAlgorithm.RS256, null, claims(AUD).subject("r").build());
        AuthPolicy p = policy(List.of(publicJwk(rsaKey, "RS256")));
        assertThat(authoriser.authorise("auth", p, null, null, token))
                .isEqualTo(new AuthResult.Granted("r", List.of("present", "message")));
    }

    @Test
    void D12_wrongKeyIsRefused() throws Exception {
        byte[] other = hsSecret.clone();
        other[0] ^= 1;
        String token = sign(new MACSigner(other), JWSAlgorithm.HS256, null, claims(AUD).build());
        assertThat(authorise("auth", token, "bob")).isEqualTo(new AuthResult.Denied());
        String ec = sign(new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()), JWSAlgorithm.ES256, null,
                claims(AUD).build());
        AuthPolicy p = policy(List.of(publicJwk(ecKey, "ES256")));
        assertThat(authoriser.authorise("auth", p, "bob", null, ec)).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D12_keyAlgMustMatchHeaderAlg() throws Exception {
        // The same secret declared for HS256 cannot verify a token whose header says HS384 (wrong length, too).
        byte[] secret48 = new byte[48];
        new SecureRandom().nextBytes(secret48);
        String token = sign(new MACSigner(secret48), JWSAlgorithm.HS384, null, claims(AUD).build());
        AuthPolicy wrongAlg = policy(List.of(hsJwk(secret48, "HS512")));
        assertThat(authoriser.authorise("auth", wrongAlg, "bob", null, token)).isEqualTo(new AuthResult.Denied());
        AuthPolicy right = policy(List.of(hsJwk(secret48, "HS384")));
        assertThat(authoriser.authorise("auth", right, "bob", null, token)).isInstanceOf(AuthResult.Granted.class);
    }

    @Test
    void D12_kidSelectsTheKey() throws Exception {
        ObjectNode withKid = hsJwk(hsSecret, "HS256");
        withKid.put("kid", "k1");
        String good = sign(new MACSigner(hsSecret), JWSAlgorithm.HS256, "k1", claims(AUD).build());
        String otherKid = sign(new MACSigner(hsSecret), JWSAlgorithm.HS256, "k2", claims(AUD).build());
        AuthPolicy p = policy(List.of(withKid));
        assertThat(authoriser.authorise("auth", p, "bob", null, good)).isInstanceOf(AuthResult.Granted.class);
        assertThat(authoriser.authorise("auth", p, "bob", null, otherKid)).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D12_malformedCandidateKeyRejectsTheToken() throws Exception {
        String token = hs(claims(AUD).build());
        byte[] shortSecret = new byte[31];
        AuthPolicy p = policy(List.of(hsJwk(shortSecret, "HS256"), hsJwk(hsSecret, "HS256")));
        assertThat(authoriser.authorise("auth", p, "bob", null, token)).isEqualTo(new AuthResult.Denied());
        // A malformed key for another alg is not a candidate and does no harm.
        AuthPolicy q = policy(List.of(hsJwk(shortSecret, "HS512"), hsJwk(hsSecret, "HS256")));
        assertThat(authoriser.authorise("auth", q, "bob", null, token)).isInstanceOf(AuthResult.Granted.class);
    }

    @Test
    void D12_algNoneIsNeverAccepted() throws Exception {
        String token = new PlainJWT(claims(AUD).subject("mallory").build()).serialize();
        ObjectNode noneKey = Json.object();
        noneKey.put("kty", "oct");
        noneKey.put("alg", "none");
        AuthPolicy p = policy(List.of(hsJwk(hsSecret, "HS256"), noneKey));
        assertThat(authoriser.authorise("auth", p, "bob", null, token)).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D13_keyValidation() throws Exception {
        Authoriser.validateAuthKey(hsJwk(hsSecret, "HS256"));
        Authoriser.validateAuthKey(publicJwk(ecKey, "ES256"));
        Authoriser.validateAuthKey(publicJwk(rsaKey, "RS256"));
        JsonNode[] invalid = {
            hsJwk(new byte[33], "HS256"),
            hsJwk(new byte[32], "HS384"),
            hsJwk(new byte[64], "RS256"),
            Json.parse("{\"kty\":\"oct\",\"k\":\"AAAA\"}"),
            Json.parse("{\"kty\":\"EC\",\"alg\":\"ES256\",\"crv\":\"P-256\",\"x\":\"AQ\",\"y\":\"AQ\"}"),
            Json.parse("{\"kty\":\"OKP\",\"alg\":\"EdDSA\"}"),
            publicJwk(ecKey, "ES384"),
        };
        for (JsonNode key : invalid) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Authoriser.validateAuthKey(key)).as(key.toString())
                    .isInstanceOf(InvalidDescriptionException.class);
        }
    }

    @Test
    void D14_expRequired() throws Exception {
        String token = hs(claims(AUD).expirationTime(null).build());
        assertThat(authorise("auth", token, "bob")).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D14_expInThePastBeyondSkew() throws Exception {
        String expired = hs(claims(AUD).expirationTime(Date.from(NOW.minusSeconds(6))).build());
        assertThat(authorise("auth", expired, "bob")).isEqualTo(new AuthResult.Denied());
        String withinSkew = hs(claims(AUD).expirationTime(Date.from(NOW.minusSeconds(4))).build());
        assertThat(authorise("auth", withinSkew, "bob")).isInstanceOf(AuthResult.Granted.class);
    }

    @Test
    void D14_nbfAndIatInTheFuture() throws Exception {
        String nbfFar = hs(claims(AUD).notBeforeTime(Date.from(NOW.plusSeconds(6))).build());
        assertThat(authorise("auth", nbfFar, "bob")).isEqualTo(new AuthResult.Denied());
        String nbfNear = hs(claims(AUD).notBeforeTime(Date.from(NOW.plusSeconds(4))).build());
        assertThat(authorise("auth", nbfNear, "bob")).isInstanceOf(AuthResult.Granted.class);
        String iatFar = hs(claims(AUD).issueTime(Date.from(NOW.plusSeconds(6))).build());
        assertThat(authorise("auth", iatFar, "bob")).isEqualTo(new AuthResult.Denied());
        String iatNear = hs(claims(AUD).issueTime(Date.from(NOW.plusSeconds(4))).build());
        assertThat(authorise("auth", iatNear, "bob")).isInstanceOf(AuthResult.Granted.class);
    }

    @Test
    void D14_permissionsClaim() throws Exception {
        String none = hs(claims(AUD).claim("permissions", null).build());
        assertThat(authorise("auth", none, "bob")).isEqualTo(new AuthResult.Granted("bob", List.of()));
        String string = hs(claims(AUD).claim("permissions", "op").build());
        assertThat(authorise("auth", string, "bob")).isEqualTo(new AuthResult.Denied());
        String mixed = hs(claims(AUD).claim("permissions", List.of("op", 3)).build());
        assertThat(authorise("auth", mixed, "bob")).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D15_missingAudienceIsRefused() throws Exception {
        String token = hs(claims(AUD).audience((String) null).build());
        assertThat(authorise("auth", token, "bob")).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D16_canonicalHostIncludesPort() throws Exception {
        String token = hs(claims(AUD).build());
        canonicalHost = "galene.org";
        assertThat(authorise("auth", token, "bob")).isEqualTo(new AuthResult.Denied());
        canonicalHost = "GALENE.org:8443";
        assertThat(authorise("auth", token, "bob")).isInstanceOf(AuthResult.Granted.class);
        canonicalHost = null;
        assertThat(authorise("auth", token, "bob")).isInstanceOf(AuthResult.Granted.class);
        assertThat(authorise("auth/sub", token, "bob")).isEqualTo(new AuthResult.Denied());
        String hierarchical = hs(claims(AUD).claim("include-subgroups", true).build());
        assertThat(authorise("auth/sub", hierarchical, "bob")).isInstanceOf(AuthResult.Granted.class);
    }

    @Test
    void D15_audienceArrayNeedsOneMatch() throws Exception {
        String token = hs(claims(AUD).audience(List.of("https://x/group/other/", "http://y/group/auth/")).build());
        canonicalHost = "y";
        assertThat(authorise("auth", token, "bob")).isInstanceOf(AuthResult.Granted.class);
        canonicalHost = "x";
        assertThat(authorise("auth", token, "bob")).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D15_pathRules() throws Exception {
        String a = hs(claims("https://h/group/a/").claim("include-subgroups", true).build());
        assertThat(authorise("a", a, "bob")).isInstanceOf(AuthResult.Granted.class);
        assertThat(authorise("a/b", a, "bob")).isInstanceOf(AuthResult.Granted.class);
        assertThat(authorise("a/b/c", a, "bob")).isInstanceOf(AuthResult.Granted.class);
        assertThat(authorise("ab", a, "bob")).isEqualTo(new AuthResult.Denied());
        String root = hs(claims("https://h/group/").claim("include-subgroups", true).build());
        assertThat(authorise("anything/at/all", root, "bob")).isInstanceOf(AuthResult.Granted.class);
        String rootExact = hs(claims("https://h/group/").build());
        assertThat(authorise("a", rootExact, "bob")).isEqualTo(new AuthResult.Denied());
        String noSlash = hs(claims("https://h/group/a").claim("include-subgroups", true).build());
        assertThat(authorise("a", noSlash, "bob")).isEqualTo(new AuthResult.Denied());
        String otherPrefix = hs(claims("https://h/groups/a/").claim("include-subgroups", true).build());
        assertThat(authorise("a", otherPrefix, "bob")).isEqualTo(new AuthResult.Denied());
        String exact = hs(claims("https://h/group/a/b/").build());
        assertThat(authorise("a/b", exact, "bob")).isInstanceOf(AuthResult.Granted.class);
        assertThat(authorise("a", exact, "bob")).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D9_subOverridesClientUsername() throws Exception {
        String token = hs(claims(AUD).subject("alice").build());
        assertThat(authorise("auth", token, "taken")).isEqualTo(new AuthResult.Granted("alice",
                List.of("present", "message")));
    }

    @Test
    void D9_emptySubUsesClientUsername() throws Exception {
        for (UnaryOperator<JWTClaimsSet.Builder> sub : List.<UnaryOperator<JWTClaimsSet.Builder>>of(
                b -> b, b -> b.subject(""))) {
            String token = hs(sub.apply(claims(AUD)).build());
            assertThat(authorise("auth", token, "bob")).isEqualTo(new AuthResult.Granted("bob",
                    List.of("present", "message")));
            assertThat(authorise("auth", token, "taken")).isEqualTo(new AuthResult.DuplicateUsername());
            // D10: a JWT never asks for a username.
            assertThat(authorise("auth", token, null)).isEqualTo(new AuthResult.Granted("",
                    List.of("present", "message")));
        }
    }

    @Test
    void D7_invalidSubIsRefused() throws Exception {
        String token = hs(claims(AUD).subject("../etc").build());
        assertThat(authorise("auth", token, null)).isEqualTo(new AuthResult.Denied());
    }

    @Test
    void D8_failedJwtIsNotLookedUpAsStatefulToken() throws Exception {
        byte[] other = hsSecret.clone();
        other[5] ^= 1;
        String token = sign(new MACSigner(other), JWSAlgorithm.HS256, null, claims(AUD).build());
        store.add(new StatefulToken(token, "auth", false, "bob", List.of("op"), NOW.plus(Duration.ofDays(1)),
                null, null, null));
        assertThat(authorise("auth", token, null)).isEqualTo(new AuthResult.Denied());
    }
}
