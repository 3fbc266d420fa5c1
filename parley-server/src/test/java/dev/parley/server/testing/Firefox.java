package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Headless Debian firefox-esr driven through WebDriver BiDi, which Firefox speaks itself on
 * {@code --remote-debugging-port} (no geckodriver is packaged): a WebSocket to {@code /session},
 * then {@code session.new}, {@code browsingContext.navigate} and {@code script.callFunction}.
 * Fake camera and microphone come from prefs. Run it inside scripts/in-private-netns only: a
 * browser phones home otherwise.
 */
public final class Firefox implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/firefox-esr");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFS = """
            user_pref("media.navigator.streams.fake", true);
            user_pref("media.navigator.permission.disabled", true);
            user_pref("media.devices.unfocused.enabled", true);
            user_pref("media.autoplay.default", 0);
            user_pref("media.autoplay.blocking_policy", 0);
            user_pref("media.suspend-background-video.enabled", false);
            user_pref("media.peerconnection.ice.loopback", true);
            user_pref("media.peerconnection.ice.default_address_only", false);
            user_pref("browser.shell.checkDefaultBrowser", false);
            user_pref("datareporting.policy.dataSubmissionEnabled", false);
            user_pref("toolkit.telemetry.enabled", false);
            user_pref("app.update.enabled", false);
            user_pref("network.captive-portal-service.enabled", false);
            user_pref("browser.safebrowsing.malware.enabled", false);
            user_pref("browser.safebrowsing.phishing.enabled", false);
            """;

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final String context;
    private final Map<Integer, CompletableFuture<JsonNode>> pending;

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    private final AtomicInteger ids;
    /** Null for the browser's first window; else the browser whose process this window shares. */
    private final Firefox owner;

    private Firefox(Process process, Path profile, WebSocket socket, Map<Integer, CompletableFuture<JsonNode>> pending)
            throws Exception {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        this.pending = pending;
        this.ids = new AtomicInteger();
        this.owner = null;
        call("session.new", JSON.createObjectNode().set("capabilities", JSON.createObjectNode()));
        this.context = call("browsingContext.getTree", JSON.createObjectNode()).path("contexts").get(0).path("context").asText();
    }

    private Firefox(Firefox owner, String context) {
        this.process = owner.process;
        this.profile = owner.profile;
        this.socket = owner.socket;
        this.pending = owner.pending;
        this.ids = owner.ids;
        this.owner = owner;
        this.context = context;
    }

    /**
     * A second window of the same browser, for a second user: cheaper than a second browser,
     * and not a background tab (those throttle timers and pause decoding). Closing it closes
     * only the window.
     */
    public Firefox openWindow() throws Exception {
        String created = call("browsingContext.create", JSON.createObjectNode().put("type", "window"))
                .path("context").asText();
        return new Firefox(this, created);
    }

    public static Firefox start() throws Exception {
        PrivateNetwork.require();
        Path profile = Files.createTempDirectory("parley-firefox-");
        Files.writeString(profile.resolve("user.js"), PREFS);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-remote", "--profile", profile.toString(),
                "--remote-debugging-port=" + port, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Listener listener = new Listener();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/session"), listener).get(10, TimeUnit.SECONDS);
                return new Firefox(p, profile, ws, listener.pending);
            } catch (Exception e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.destroyForcibly();
                    throw new IOException("Firefox's WebDriver BiDi endpoint never answered on port " + port, e);
                }
                Thread.sleep(300);
            }
        }
    }

    /** Receives BiDi messages and completes the commands they answer; events are ignored. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    dispatch(JSON.readTree(text.toString()));
                } catch (IOException ignored) {
                    // not JSON: nothing waits for it
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        private void dispatch(JsonNode m) {
            CompletableFuture<JsonNode> f = m.has("id") ? pending.remove(m.path("id").asInt()) : null;
            if (f == null) return;
            if (m.path("type").asText().equals("error")) {
                f.completeExceptionally(new IllegalStateException("BiDi error: " + m));
            } else {
                f.complete(m.path("result"));
            }
        }
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        m.set("params", params);
        socket.sendText(JSON.writeValueAsString(m), true).get(10, TimeUnit.SECONDS);
        try {
            return f.get(90, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(method + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    public void navigate(String url) throws Exception {
        call("browsingContext.navigate", JSON.createObjectNode().put("context", context).put("url", url).put("wait", "complete"));
    }

    /**
     * Runs a Selenium-style async script: its {@code arguments} are {@code args} followed by the
     * callback that completes it. Returns the callback's value as plain Java (String, Number,
     * Boolean, List, Map, null).
     */
    public Object executeAsync(String script, Object... args) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        params.put("functionDeclaration", "function(...a) { return new Promise(done => { (function() {\n"
                + script + "\n}).apply(null, [...a, done]); }); }");
        params.put("awaitPromise", true);
        params.set("target", JSON.createObjectNode().put("context", context));
        ArrayNode arguments = params.putArray("arguments");
        for (Object a : args) arguments.add(localValue(a));
        JsonNode r = call("script.callFunction", params);
        if (r.path("type").asText().equals("exception")) {
            throw new IllegalStateException("script failed: " + r.path("exceptionDetails").path("text").asText());
        }
        return fromRemote(r.path("result"));
    }

    /** A synchronous script (no callback). */
    public Object execute(String script) throws Exception {
        return executeAsync("arguments[arguments.length - 1]((function() {" + script + "})());");
    }

    private static ObjectNode localValue(Object v) {
        ObjectNode n = JSON.createObjectNode();
        if (v == null) return n.put("type", "null");
        if (v instanceof Boolean b) return n.put("type", "boolean").put("value", b);
        if (v instanceof Number x) return n.put("type", "number").put("value", x.doubleValue());
        return n.put("type", "string").put("value", v.toString());
    }

    private static Object fromRemote(JsonNode v) {
        JsonNode value = v.path("value");
        return switch (v.path("type").asText()) {
            case "string" -> value.asText();
            case "number" -> value.isNumber() ? value.numberValue() : Double.NaN;
            case "boolean" -> value.asBoolean();
            case "array" -> {
                List<Object> out = new ArrayList<>();
                value.forEach(x -> out.add(fromRemote(x)));
                yield out;
            }
            case "object", "map" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                value.forEach(pair -> out.put(pair.get(0).isTextual() ? pair.get(0).asText()
                        : String.valueOf(fromRemote(pair.get(0))), fromRemote(pair.get(1))));
                yield out;
            }
            default -> null;
        };
    }

    @Override
    public void close() throws Exception {
        if (owner != null) {
            call("browsingContext.close", JSON.createObjectNode().put("context", context));
            return;
        }
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser goes anyway
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> walk = Files.walk(profile)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
