package dev.parley.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * authServer and authPortal as the group page uses them (spec AS2, AS3): the page POSTs
 * {location, username, password} to the authServer and joins with the JWT it returns, falls
 * back to the password on 204, and fails on any other status; without a token it goes to the
 * authPortal.
 */
@Tag("browser")
class AuthFlowBrowserTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private HttpServer authServer;
    private final List<JsonNode> authRequests = new CopyOnWriteArrayList<>();
    private TestServer server;
    private Browsers browsers;

    @BeforeEach
    void start() throws IOException {
        Browsers.assumeAvailable();
        authServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        authServer.createContext("/auth", this::authorise);
        authServer.start();
        String authUrl = "http://127.0.0.1:" + authServer.getAddress().getPort() + "/auth";
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(KEY);
        server = TestServer.start(dirs -> dirs.group("auth", """
                {"authServer": "%s",
                 "authKeys": [{"kty": "oct", "alg": "HS256", "k": "%s"}],
                 "users": {"fallback": {"password": "pw", "permissions": "present"}}}
                """.formatted(authUrl, k)));
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
        if (authServer != null) {
            authServer.stop(0);
        }
    }

    /** The fake authorisation server: CORS, then a JWT, a 204 or a refusal depending on the user. */
    private void authorise(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            ex.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
            ex.getResponseHeaders().set("Access-Control-Allow-Methods", "POST");
            if (ex.getRequestMethod().equals("OPTIONS")) {
                ex.sendResponseHeaders(204, -1);
                return;
            }
            JsonNode body = new ObjectMapper().readTree(ex.getRequestBody());
            authRequests.add(body);
            String user = body.path("username").asText();
            if (user.equals("tokenuser") && body.path("password").asText().equals("secret")) {
                byte[] jwt = jwt(body.path("location").asText(), user).getBytes(StandardCharsets.US_ASCII);
                ex.getResponseHeaders().set("Content-Type", "application/jwt");
                ex.sendResponseHeaders(200, jwt.length);
                ex.getResponseBody().write(jwt);
            } else if (user.equals("fallback")) {
                ex.sendResponseHeaders(204, -1);
            } else {
                ex.sendResponseHeaders(403, -1);
            }
        }
    }

    private static String jwt(String audience, String subject) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .audience(audience)
                    .subject(subject)
                    .claim("permissions", List.of("present"))
                    .issueTime(new Date())
                    .expirationTime(new Date(System.currentTimeMillis() + 60_000))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private GroupPage authPage() {
        return new GroupPage(browsers.open()).open(server.http("/group/auth/"));
    }

    @Test
    void AS2_jwtFromTheAuthServerIsUsedToJoin() {
        GroupPage page = authPage().login("tokenuser", "secret");
        page.awaitUser("tokenuser");
        assertThat(authRequests).hasSize(1);
        JsonNode request = authRequests.get(0);
        assertThat(request.path("location").asText()).isEqualTo(server.http("/group/auth/").toString());
        assertThat(request.path("username").asText()).isEqualTo("tokenuser");
        assertThat(request.path("password").asText()).isEqualTo("secret");
    }

    @Test
    void AS2_noContentFallsBackToThePassword() {
        authPage().login("fallback", "pw").awaitUser("fallback");
        assertThat(authRequests).extracting(r -> r.path("username").asText()).containsExactly("fallback");
    }

    @Test
    void AS2_refusalIsReportedAndNothingIsJoined() {
        GroupPage page = authPage().submitLogin("mallory", "guess");
        assertThat(page.awaitLoginError("403")).contains("authorisation server");
        assertThat(page.loginVisible()).isTrue();
    }

    @Test
    void AS3_withoutATokenThePageGoesToTheAuthPortal() throws IOException {
        String portal = server.http("/?from=portal").toString();
        server.files().group("portal", """
                {"authPortal": "%s", "users": {"x": {"password": "y"}}}
                """.formatted(portal));
        WebDriver d = browsers.open();
        d.get(server.http("/group/portal/").toString());
        Browsers.waitFor(d).until(ExpectedConditions.urlToBe(portal));
    }
}
