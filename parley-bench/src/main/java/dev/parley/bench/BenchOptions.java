package dev.parley.bench;

import dev.parley.bench.impair.ImpairmentPlan;
import dev.parley.bench.impair.ImpairmentProfile;
import dev.parley.bench.load.LoadContext;
import dev.parley.bench.media.Pacing;
import dev.parley.rtc.srtp.SrtpProfile;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Command-line flags of the load generator ({@code --name value}); nothing here is Parley-specific. */
public record BenchOptions(
        URI url,
        String group,
        String userPrefix,
        String password,
        long serverPid,
        URI serverMetrics,
        List<String> scenarios,
        List<Integer> fanoutSteps,
        List<Integer> meetingSteps,
        List<Integer> audioSteps,
        int bitrate,
        int meetingBitrate,
        int fps,
        double keyframeSeconds,
        boolean simulcast,
        Pacing pacing,
        boolean transportCc,
        int settleSeconds,
        int windowSeconds,
        int failuresBeforeStop,
        SrtpProfile[] srtpProfiles,
        int peersPerReader,
        ImpairmentPlan impairments,
        boolean halfLoadStep,
        Path out) {

    public static final String USAGE = """
            usage: parley-bench --url ws://HOST:PORT/ws --group NAME [flags]
              --url URL               the server's WebSocket endpoint (required)
              --group NAME            group to join (required); every synthetic user needs "present"
              --user PREFIX           username prefix (default bench)
              --password PW           password for the users (default empty)
              --server-pid PID        server process for CPU %/RSS from /proc (optional)
              --server-metrics URL    the server's Prometheus /metrics, for its own forwarding delay histogram
                                      (Parley's parley_media_forwarding_delay_seconds; optional)
              --scenarios LIST        fanout,meeting,audio (default all three)
              --fanout-steps LIST     subscribers per step (default 10,25,50,75,95,150,300,600)
              --meeting-steps LIST    participants per step (default 2,4,6,8,10,12,15)
              --audio-steps LIST      participants per step (default 5,10,20,30,40,50)
              --bitrate BPS           fan-out camera bitrate (default 1000000)
              --meeting-bitrate BPS   meeting camera bitrate (default 500000)
              --fps N                 video frame rate (default 30)
              --keyframe-interval S   seconds between keyframes (default 3)
              --simulcast             publish two VP8 layers (full and 1/4 bitrate)
              --pacing-factor F       publishers pace video like libwebrtc at F x the video bitrate (default 2.5,
                                      libwebrtc's factor without transport-cc; with --transport-cc 1.1, its
                                      factor with it)
              --transport-cc          publishers offer transport-cc (as Chromium does) and number their packets
                                      when the answer keeps it (a publish fails when it does not)
              --pacing-burst-ms MS    libwebrtc's send burst interval: up to MS ms of the pacing rate may leave
                                      at once (default 40; 0 paces every packet)
              --burst                 no pacer: each frame's packets back to back (the generator before pacing)
              --settle S              seconds between reaching a step and measuring (default 3)
              --window S              measurement window per step (default 8)
              --stop-after N          stop a scenario after N saturated steps (default 1)
              --srtp LIST             SRTP profiles offered, in order: gcm,cm (default gcm,cm like Chromium)
              --peers-per-reader K    UDP sockets read by one thread, each with its own selector (default 4;
                                      1: a reader per peer, like separate client processes; a large K
                                      reproduces the old single-selector generator)
              --impair SPEC           emulated network per subscriber group, in the generator (userspace):
                                      "group=25%:loss=5,delay=50ms;group=25%:rate=300k,queue=100ms"
                                      (loss %, delay ms, rate bit/s with k/m, drop-tail queue ms)
              --impair-seed N         seed of the emulated random loss (default 1)
              --no-half-load          skip the extra fan-out step at half the capacity
              --out DIR               results directory (default results/bench-<time>)
            """;

    public static BenchOptions parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String key = a.substring(2);
            if (key.equals("simulcast") || key.equals("help") || key.equals("no-half-load") || key.equals("burst")
                    || key.equals("transport-cc")) {
                m.put(key, "true");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                m.put(key, args[++i]);
            }
        }
        if (m.containsKey("help")) {
            throw new IllegalArgumentException("");
        }
        List<String> known = List.of("url", "group", "user", "password", "server-pid", "server-metrics", "scenarios", "fanout-steps",
                "meeting-steps", "audio-steps", "bitrate", "meeting-bitrate", "fps", "keyframe-interval", "simulcast",
                "burst", "pacing-factor", "pacing-burst-ms", "transport-cc",
                "settle", "window", "stop-after", "srtp", "peers-per-reader", "impair", "impair-seed", "no-half-load",
                "out");
        for (String k : m.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown flag --" + k);
            }
        }
        if (!m.containsKey("url") || !m.containsKey("group")) {
            throw new IllegalArgumentException("--url and --group are required");
        }
        List<SrtpProfile> profiles = new ArrayList<>();
        for (String p : m.getOrDefault("srtp", "gcm,cm").split(",")) {
            profiles.add(switch (p.trim()) {
                case "gcm" -> SrtpProfile.AEAD_AES_128_GCM;
                case "cm" -> SrtpProfile.AES_CM_128_HMAC_SHA1_80;
                default -> throw new IllegalArgumentException("--srtp takes gcm and/or cm, not " + p);
            });
        }
        if (m.containsKey("burst") && (m.containsKey("pacing-factor") || m.containsKey("pacing-burst-ms"))) {
            throw new IllegalArgumentException("--burst sends without a pacer: it takes no --pacing-factor or --pacing-burst-ms");
        }
        boolean transportCc = m.containsKey("transport-cc");
        double factor = transportCc ? Pacing.LIBWEBRTC_TRANSPORT_CC_FACTOR : Pacing.LIBWEBRTC_FACTOR;
        Pacing pacing = m.containsKey("burst") ? Pacing.BURST
                : Pacing.libwebrtc(number("pacing-factor", m.getOrDefault("pacing-factor", "" + factor)),
                        number("pacing-burst-ms", m.getOrDefault("pacing-burst-ms", "" + Pacing.LIBWEBRTC_BURST_MILLIS)));
        return new BenchOptions(
                URI.create(m.get("url")),
                m.get("group"),
                m.getOrDefault("user", "bench"),
                m.getOrDefault("password", ""),
                Long.parseLong(m.getOrDefault("server-pid", "-1")),
                m.containsKey("server-metrics") ? URI.create(m.get("server-metrics")) : null,
                Arrays.asList(m.getOrDefault("scenarios", "fanout,meeting,audio").split(",")),
                ints(m.getOrDefault("fanout-steps", "10,25,50,75,95,150,300,600")),
                ints(m.getOrDefault("meeting-steps", "2,4,6,8,10,12,15")),
                ints(m.getOrDefault("audio-steps", "5,10,20,30,40,50")),
                Integer.parseInt(m.getOrDefault("bitrate", "1000000")),
                Integer.parseInt(m.getOrDefault("meeting-bitrate", "500000")),
                Integer.parseInt(m.getOrDefault("fps", "30")),
                Double.parseDouble(m.getOrDefault("keyframe-interval", "3")),
                m.containsKey("simulcast"),
                pacing,
                transportCc,
                Integer.parseInt(m.getOrDefault("settle", "3")),
                Integer.parseInt(m.getOrDefault("window", "8")),
                Integer.parseInt(m.getOrDefault("stop-after", "1")),
                profiles.toArray(SrtpProfile[]::new),
                positive("peers-per-reader", m.getOrDefault("peers-per-reader", "" + LoadContext.DEFAULT_PEERS_PER_READER)),
                new ImpairmentPlan(m.containsKey("impair") ? ImpairmentProfile.parseAll(m.get("impair")) : List.of(),
                        Long.parseLong(m.getOrDefault("impair-seed", "1"))),
                !m.containsKey("no-half-load"),
                Path.of(m.getOrDefault("out", "results/bench-" + System.currentTimeMillis() / 1000)));
    }

    private static double number(String flag, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " takes a number, not " + v);
        }
    }

    private static int positive(String flag, String v) {
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new IllegalArgumentException("--" + flag + " takes a positive whole number, not " + v);
        }
        return n;
    }

    /** How subscribers read their sockets, for the report: reader mode a figure was taken with. */
    public String readerMode() {
        return peersPerReader == 1 ? "1 peer per reader thread (own selector each)"
                : peersPerReader + " peers per reader thread (one selector each)";
    }

    static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            int v = Integer.parseInt(s.trim());
            if (v < 1) {
                throw new IllegalArgumentException("step sizes must be positive: " + csv);
            }
            if (!out.isEmpty() && v <= out.getLast()) {
                throw new IllegalArgumentException("steps must increase: " + csv);
            }
            out.add(v);
        }
        return out;
    }
}
