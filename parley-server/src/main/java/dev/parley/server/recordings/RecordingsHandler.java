package dev.parley.server.recordings;

import dev.parley.server.ServerContext;
import dev.parley.server.auth.AuthResult;
import dev.parley.server.auth.Permissions;
import dev.parley.server.group.Group;
import dev.parley.server.group.GroupException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.parley.server.recordings.Responses.escape;
import static dev.parley.server.recordings.Responses.ready;
import static dev.parley.server.recordings.Responses.redirect;
import static dev.parley.server.recordings.Responses.text;

/**
 * {@code /recordings/…} (spec A.7, H36–H43): listing, downloading and deleting whatever files
 * are in the recordings directory, one subdirectory per group. Blocking (password checks and
 * the 200 ms delay after a wrong password): call it off the event loop.
 */
public final class RecordingsHandler {
    private static final Logger log = LoggerFactory.getLogger(RecordingsHandler.class);
    private static final Duration STILL_RECORDING = Duration.ofMinutes(1);
    private static final Duration WRONG_PASSWORD_DELAY = Duration.ofMillis(200);

    private final ServerContext ctx;
    private final Path root;
    private final Clock clock;

    public RecordingsHandler(ServerContext ctx) {
        this.ctx = ctx;
        this.root = ctx.options().recordingsDir().toAbsolutePath().normalize();
        this.clock = ctx.clock();
    }

    /**
     * @param path the cleaned, decoded request path, starting with {@code /recordings/}
     * @param notFound the server's 404 page (H7)
     */
    public RecordingsAnswer handle(FullHttpRequest req, String path, Supplier<FullHttpResponse> notFound) {
        String p = path.substring("/recordings/".length());
        if (p.isEmpty()) {
            return ready(text(HttpResponseStatus.BAD_REQUEST, "Bad group name"));                   // H36
        }
        Path target = resolve(p);
        BasicFileAttributes attrs = target == null ? null : attributes(target);
        if (attrs == null || !attrs.isDirectory() && p.endsWith("/")) {
            return ready(notFound.get());                                                           // H37
        }
        String group;
        String fileName;
        if (attrs.isDirectory()) {
            group = groupName(p.replaceAll("/+$", ""));
            fileName = "";
        } else {
            int slash = p.lastIndexOf('/');
            group = slash < 0 ? "" : groupName(p.substring(0, slash + 1));
            fileName = p.substring(slash + 1);
        }
        if (group.isEmpty()) {
            return ready(text(HttpResponseStatus.BAD_REQUEST, "Bad group name"));                   // H38
        }
        String canonical = "/recordings/" + group + "/" + fileName;
        if (!path.equals(canonical)) {
            return ready(redirect(HttpResponseStatus.PERMANENT_REDIRECT, escape(canonical)));       // H38
        }
        if (!mayRecord(req, group)) {
            FullHttpResponse r = text(HttpResponseStatus.UNAUTHORIZED, "Haha!");                   // H39
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "basic realm=\"recordings/" + group + "\"");
            return ready(r);
        }
        if (!fileName.isEmpty()) {
            boolean recent = attrs.lastModifiedTime().toInstant().isAfter(clock.instant().minus(STILL_RECORDING));
            return new RecordingsAnswer.ServeFile(target, recent ? "no-cache" : "max-age=1800");   // H43
        }
        if (req.method().equals(HttpMethod.POST)) {
            return ready(action(req, group));                                                       // H41
        }
        if (req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD)) {
            return ready(RecordingsPage.listing(target, group));                                                  // H40
        }
        FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");    // H42
        r.headers().set(HttpHeaderNames.ALLOW, "OPTIONS, HEAD,GET");
        return ready(r);
    }

    /** The path inside the root, refusing anything (a symbolic link included) that leads out of it. */
    private Path resolve(String relative) {
        if (relative.contains("\0") || relative.contains("\\")) {
            return null;
        }
        try {
            Path p = root.resolve(relative).normalize();
            if (!p.startsWith(root) || p.equals(root)) {
                return null;
            }
            if (Files.exists(p) && !p.toRealPath().startsWith(root.toRealPath())) {
                return null;
            }
            return p;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** The group part of the path, without outer slashes; "" when unusable. */
    private static String groupName(String p) {
        String name = p.replaceAll("^/+|/+$", "");
        if (name.isEmpty() || name.startsWith(".")) {
            return "";
        }
        return name.replaceAll("/+", "/");
    }

    /** H39: Basic credentials, password authorisation only, and the {@code record} permission. */
    private boolean mayRecord(FullHttpRequest req, String group) {
        String[] basic = basic(req.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (basic == null) {
            return false;
        }
        Group g;
        try {
            g = ctx.groups().get(group);
        } catch (GroupException e) {
            return false;
        }
        AuthResult r = ctx.authoriser().authorisePassword(g.description().authPolicy(), basic[0], basic[1]);
        if (r instanceof AuthResult.Granted granted) {
            return granted.permissions().contains(Permissions.RECORD);
        }
        if (r instanceof AuthResult.Denied) {
            try {
                Thread.sleep(WRONG_PASSWORD_DELAY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return false;
    }

    private static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** H41: the delete form. Form fields come from a urlencoded body, then from the query. */
    private FullHttpResponse action(FullHttpRequest req, String group) {
        Map<String, List<String>> form = new java.util.LinkedHashMap<>();
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            merge(form, new QueryStringDecoder(req.content().toString(StandardCharsets.UTF_8), false).parameters());
        }
        merge(form, new QueryStringDecoder(req.uri()).parameters());
        if (!"delete".equals(first(form, "q"))) {
            return text(HttpResponseStatus.BAD_REQUEST, "Unknown query");
        }
        String fileName = first(form, "filename");
        if (fileName == null || fileName.isEmpty()) {
            return text(HttpResponseStatus.BAD_REQUEST, "No filename provided");
        }
        if (fileName.contains("/") || fileName.contains("\\")) {
            return text(HttpResponseStatus.BAD_REQUEST, "Bad character in filename");
        }
        Path file = resolve(group + "/" + fileName);
        if (file == null || !file.getParent().equals(root.resolve(group).normalize()) || Files.isDirectory(file)) {
            return text(HttpResponseStatus.NOT_FOUND, "404 page not found");
        }
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            return text(HttpResponseStatus.NOT_FOUND, "404 page not found");
        } catch (IOException e) {
            log.warn("deleting {}: {}", file, e.getMessage());
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");
        }
        log.info("deleted recording {}", file);
        return redirect(HttpResponseStatus.SEE_OTHER, escape("/recordings/" + group + "/"));
    }

    private static void merge(Map<String, List<String>> into, Map<String, List<String>> from) {
        from.forEach((k, v) -> into.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }

    private static String first(Map<String, List<String>> form, String key) {
        List<String> v = form.get(key);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

}
