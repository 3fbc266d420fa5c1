package dev.parley.server.sfu;

import dev.parley.server.testing.TestServer;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * What the codec tests share: one group per video codec (its {@code codecs} list names that
 * codec and opus, MD2), and a page script that reports the first received stream's decoded video
 * frames with the codec they were decoded from.
 */
final class CodecStats {
    /**
     * How long decoding is watched after the first frame: 2 s in CI; {@code -Dparley.codec-play-ms=20000}
     * for the matrix (frames decoded in 20 s).
     */
    static final long PLAY_MS = Long.getLong("parley.codec-play-ms", 2000);

    /**
     * Async page script (Selenium or BiDi): {id, frames, mime} of the first down stream's video,
     * null before there is one. The mime type comes from the inbound-rtp's codec report.
     */
    static final String SCRIPT = """
            const done = arguments[arguments.length - 1];
            const ids = Object.keys(t.sc.down);
            if (ids.length === 0) { done(null); return; }
            const s = t.sc.down[ids[0]];
            s.pc.getStats().then(r => {
              let frames = 0, mime = '';
              r.forEach(x => {
                if (x.type === 'inbound-rtp' && x.kind === 'video') {
                  frames = x.framesDecoded || 0;
                  const c = x.codecId && r.get(x.codecId);
                  mime = c ? c.mimeType : '';
                }
              });
              done({id: ids[0], frames, mime});
            }).catch(e => done(null));
            """;

    private CodecStats() {
    }

    static String group(String codec) {
        return "codec-" + codec;
    }

    static void writeGroups(TestServer.Dirs dirs) throws IOException {
        for (String codec : new String[]{"vp8", "vp9", "h264", "av1"}) {
            dirs.group(group(codec), """
                    {"wildcard-user": {"password": "pw", "permissions": "present"}, "codecs": ["%s", "opus"]}
                    """.formatted(codec));
        }
    }

    /** The mime type browsers report for a codec name of MD3. */
    static String mime(String codec) {
        return "video/" + switch (codec) {
            case "h264" -> "H264";
            default -> codec.toUpperCase(Locale.ROOT);
        };
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Object scriptResult) {
        return (Map<String, Object>) scriptResult;
    }

    static long frames(Map<String, Object> s) {
        return s == null ? 0 : ((Number) s.get("frames")).longValue();
    }

    /** A source of stats that may fail (a browser call). */
    @FunctionalInterface
    interface Probe {
        Map<String, Object> get() throws Exception;
    }

    /** Polls until at least one frame was decoded (30 s at most); returns those stats. */
    static Map<String, Object> awaitDecoding(Probe probe) throws Exception {
        Map<String, Object> s = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            s = probe.get();
            if (frames(s) > 0) {
                return s;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no decoded video within 30 s; last stats " + s);
    }
}
