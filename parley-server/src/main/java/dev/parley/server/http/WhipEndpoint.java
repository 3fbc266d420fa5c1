package dev.parley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.server.ServerContext;
import dev.parley.server.api.Preconditions;
import dev.parley.server.auth.AuthResult;
import dev.parley.server.group.Group;
import dev.parley.server.group.GroupException;
import dev.parley.server.sfu.SdpNegotiation;
import dev.parley.server.sfu.UpStream;
import dev.parley.server.whip.WhipSession;
import dev.parley.server.whip.WhipSessions;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * WHIP ingest at {@code /group/NAME/.whip} (spec A.9, H62–H67): an HTTP POST of an SDP offer
 * publishes one stream into the group. Blocking (password checks): runs on a virtual thread.
 */
final class WhipEndpoint {
    private static final long AUTH_FAILURE_DELAY_MS = 200;                            // L4

    private final ServerContext ctx;
    private final WhipSessions sessions = new WhipSessions();

    WhipEndpoint(ServerContext ctx) {
        this.ctx = ctx;
    }

    /** {@code rest} is what follows {@code .whip}: empty for the endpoint, {@code /ID} for a session. */
    FullHttpResponse handle(FullHttpRequest req, String groupName, String rest, InetSocketAddress remote,
                            FullHttpResponse notFound) {
        Group g;
        try {
            g = ctx.groups().get(groupName);
        } catch (GroupException e) {
            return notFound;                                                           // H62
        }
        FullHttpResponse r = rest.isEmpty() || rest.equals("/")
                ? endpoint(req, g, remote)
                : session(req, g, rest.substring(1), notFound);
        cors(req, r);
        return r;
    }

    private FullHttpResponse endpoint(FullHttpRequest req, Group g, InetSocketAddress remote) {
        if (req.method().equals(HttpMethod.OPTIONS)) {
            FullHttpResponse r = HttpResponses.response(HttpResponseStatus.OK, null, null);
            r.headers().set("Access-Control-Allow-Methods", "OPTIONS, POST");
            r.headers().set("Access-Control-Allow-Headers", "Authorization, Content-Type");
            r.headers().set("Access-Control-Expose-Headers", "Link");
            links(r);
            return r;
        }
        if (!req.method().equals(HttpMethod.POST)) {
            return methodNotAllowed("POST");
        }
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.trim().equalsIgnoreCase("application/sdp")) {
            FullHttpResponse r = HttpResponses.text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type");
            r.headers().set("Accept", "application/sdp");
            return r;
        }
        SessionDescription offer;
        try {
            offer = SessionDescription.parse(req.content().toString(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "bad SDP: " + e.getMessage());
        }
        String token = bearer(req);
        AuthResult auth = ctx.authoriser().authorise(g.name(), g.description().authPolicy(),
                token == null ? "whip" : null, token == null ? "" : null, token);      // H63
        if (!(auth instanceof AuthResult.Granted granted)) {
            if (auth instanceof AuthResult.Denied) {
                sleep(AUTH_FAILURE_DELAY_MS);
            }
            return HttpResponses.text(HttpResponseStatus.UNAUTHORIZED, "not authorised");
        }
        String username = granted.username().isEmpty() ? "whip" : granted.username();
        WhipSession session = sessions.create(g, username, granted.permissions(), token, address(remote));
        String failure = g.join(session, granted.permissions().contains("op"),
                grp -> dev.parley.protocol.Message.of("joined").kind("join").build());
        if (failure != null) {
            session.end();
            return HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, failure);
        }
        if (!granted.permissions().contains("present")) {
            session.end();
            return HttpResponses.text(HttpResponseStatus.FORBIDDEN, "Forbidden");
        }
        UpStream up = session.startStream(ctx.media());
        SdpNegotiation.Answer answer;
        try {
            var fingerprint = offer.media().stream().map(m -> offer.fingerprint(m)).filter(java.util.Optional::isPresent)
                    .map(java.util.Optional::get).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the offer has no DTLS fingerprint"));
            up.transport().setRemoteFingerprint(fingerprint);
            offer.media().stream().map(m -> offer.iceUfrag(m)).filter(java.util.Optional::isPresent)
                    .map(java.util.Optional::get).findFirst().ifPresent(up::setRemoteUfrag);
            answer = SdpNegotiation.answer(offer, g.description().effectiveCodecs(), up.transport().local());
            up.transport().setDtlsRole(answer.dtlsRole());
        } catch (RuntimeException e) {
            session.end();
            return HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "cannot answer: " + e.getMessage());
        }
        up.setSections(answer.sections());
        FullHttpResponse r = HttpResponses.response(HttpResponseStatus.CREATED, "application/sdp",
                answer.sdp().toString().getBytes(StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.LOCATION, "/group/" + UrlPaths.escape(g.name()) + "/.whip/" + session.resource());
        r.headers().set(HttpHeaderNames.ETAG, session.etag());
        r.headers().set("Access-Control-Expose-Headers", "Location, Content-Type, Link, ETag");
        links(r);
        return r;
    }

    private FullHttpResponse session(FullHttpRequest req, Group g, String resource, FullHttpResponse notFound) {
        if (!resource.matches("[A-Za-z0-9_-]{22}")) {
            return HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");   // H64
        }
        WhipSession s = sessions.get(resource);
        if (s == null || s.group() != g) {
            return notFound;
        }
        if (s.token() != null && !s.token().equals(bearer(req))) {
            return HttpResponses.text(HttpResponseStatus.FORBIDDEN, "Forbidden");
        }
        if (req.method().equals(HttpMethod.OPTIONS)) {
            FullHttpResponse r = HttpResponses.response(HttpResponseStatus.OK, null, null);
            r.headers().set("Access-Control-Allow-Methods", "OPTIONS, DELETE, PATCH");
            r.headers().set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, If-None-Match");
            return r;
        }
        if (!req.method().equals(HttpMethod.DELETE) && !req.method().equals(HttpMethod.PATCH)) {
            return methodNotAllowed("DELETE, PATCH");
        }
        HttpResponseStatus failed = Preconditions.check(req, s.etag());
        if (failed != null) {
            return HttpResponses.response(failed, null, null);
        }
        if (req.method().equals(HttpMethod.DELETE)) {
            s.end();
            return HttpResponses.response(HttpResponseStatus.OK, null, null);
        }
        return patch(req, s);
    }

    /** H64 PATCH: a new ICE ufrag/pwd means an ICE restart; candidates alone need nothing (ICE-lite). */
    private FullHttpResponse patch(FullHttpRequest req, WhipSession s) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.trim().toLowerCase(Locale.ROOT).startsWith("application/trickle-ice-sdpfrag")) {
            FullHttpResponse r = HttpResponses.text(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type");
            r.headers().set("Accept", "application/trickle-ice-sdpfrag");
            return r;
        }
        String ufrag = null;
        for (String line : req.content().toString(StandardCharsets.UTF_8).split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                return HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "bad SDP fragment");
            }
            if (line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring("a=ice-ufrag:".length()).trim();
            }
        }
        UpStream up = s.up();
        if (ufrag == null || up == null || ufrag.equals(up.remoteUfrag())) {
            return HttpResponses.response(HttpResponseStatus.NO_CONTENT, null, null);
        }
        var local = up.transport().restartIce(ufrag);
        up.setRemoteUfrag(ufrag);
        StringBuilder fragment = new StringBuilder()
                .append("a=ice-ufrag:").append(local.ufrag()).append("\r\n")
                .append("a=ice-pwd:").append(local.pwd()).append("\r\n");
        for (var c : local.candidates()) {
            fragment.append("a=candidate:").append(c.format()).append("\r\n");
        }
        FullHttpResponse r = HttpResponses.response(HttpResponseStatus.OK, "application/trickle-ice-sdpfrag",
                fragment.toString().getBytes(StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.ETAG, s.renewEtag());
        return r;
    }

    /** H65: one Link header per STUN/TURN URL of the ICE configuration. */
    private void links(FullHttpResponse r) {
        JsonNode servers = ctx.iceServers().rtcConfiguration().path("iceServers");
        List<String> links = new ArrayList<>();
        for (JsonNode server : servers) {
            for (JsonNode url : server.path("urls")) {
                String u = url.asText();
                String scheme = u.contains(":") ? u.substring(0, u.indexOf(':')).toLowerCase(Locale.ROOT) : "";
                if (scheme.equals("stun") || scheme.equals("stuns")) {
                    links.add("<" + u + ">; rel=\"ice-server\"");
                } else if (scheme.equals("turn") || scheme.equals("turns")) {
                    links.add("<" + u + ">; rel=\"ice-server\"; username=\"" + quote(server.path("username").asText())
                            + "\"; credential=\"" + quote(server.path("credential").asText())
                            + "\"; credential-type=\"password\"");
                }
            }
        }
        if (!links.isEmpty()) {
            r.headers().set("Link", links);
        }
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** CORS as H46, with allowOrigin; origins are never refused (H62). */
    private void cors(FullHttpRequest req, FullHttpResponse r) {
        r.headers().add(HttpHeaderNames.VARY, "Origin");
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return;
        }
        String host = req.headers().get(HttpHeaderNames.HOST);
        boolean same;
        try {
            String authority = URI.create(origin).getRawAuthority();
            same = authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            same = false;
        }
        if (same || ctx.config().get().originAllowed(origin)) {
            r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
    }

    private static FullHttpResponse methodNotAllowed(String methods) {
        FullHttpResponse r = HttpResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
        r.headers().set(HttpHeaderNames.ALLOW, "OPTIONS, " + methods);                 // H9
        return r;
    }

    private static String bearer(FullHttpRequest req) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null) {
            return null;
        }
        for (String part : auth.split(",")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "bearer ", 0, 7)) {
                return p.substring(7).trim();
            }
        }
        return null;
    }

    private static String address(InetSocketAddress remote) {
        if (remote == null) {
            return null;
        }
        String ip = remote.getAddress().getHostAddress();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + remote.getPort();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
