package dev.parley.server.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Random loss and a fixed delay on the UDP packets sent to one local port: what {@code tc netem}
 * would do on a receiver's link. This project's machines run kernels built without
 * {@code sch_netem}, so the kernel's packet path queues those packets (an iptables NFQUEUE rule
 * on OUTPUT: on loopback that is every packet sent to the port) to {@code scripts/impair/nfq-impair},
 * which holds each for the delay or drops it. Everything stays in the kernel's real UDP path; the
 * peers cannot tell it from a lossy, slow link. Needs CAP_NET_ADMIN: run inside
 * scripts/in-private-netns.
 */
public final class LinkImpairment implements AutoCloseable {
    private static final Path SOURCE = Path.of("../scripts/impair/nfq-impair.c");
    private static final Path BINARY = Path.of("target/nfq-impair");
    private static final String IPTABLES = "iptables-legacy";
    private static final int QUEUE = 7;

    private final List<String> rule;
    private final Process impairer;
    private final BufferedReader impairerOutput;
    private String summary = "";
    private boolean closed;

    private LinkImpairment(List<String> rule, Process impairer, BufferedReader impairerOutput) {
        this.rule = rule;
        this.impairer = impairer;
        this.impairerOutput = impairerOutput;
    }

    /** Whether this machine can impair links (tool and compiler present); the namespace is the caller's. */
    public static boolean available() {
        return onPath(IPTABLES) && onPath("gcc") && Files.isRegularFile(SOURCE);
    }

    /** Delays every UDP packet to {@code port} by {@code delayMs} and drops {@code lossPercent} of them. */
    public static LinkImpairment toPort(long port, int delayMs, double lossPercent, long seed) throws Exception {
        PrivateNetwork.require();
        build();
        Process p = new ProcessBuilder(BINARY.toString(), Integer.toString(QUEUE), Integer.toString(delayMs),
                Double.toString(lossPercent), Long.toString(seed)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        if (!"ready".equals(ready)) {
            p.destroyForcibly();
            throw new IllegalStateException("nfq-impair did not start: " + ready);
        }
        List<String> rule = List.of("OUTPUT", "-p", "udp", "--dport", Long.toString(port), "-j", "NFQUEUE",
                "--queue-num", Integer.toString(QUEUE));
        run(concat("-A", rule));
        return new LinkImpairment(rule, p, out);
    }

    /** Removes the rule, then stops the impairer (which releases what it still holds); returns its summary line. */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        run(concat("-D", rule));
        impairer.toHandle().destroy();          // SIGTERM; Process.destroy would also close its output
        String last = impairerOutput.readLine();
        summary = last == null ? "" : last;
        impairer.waitFor();
    }

    /** After {@link #close}: "packets N dropped D", as the impairer counted them. */
    public String summary() {
        return summary;
    }

    private static synchronized void build() throws Exception {
        if (Files.isRegularFile(BINARY)
                && Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) >= 0) {
            return;
        }
        Files.createDirectories(BINARY.getParent());
        exec(List.of("gcc", "-O2", "-Wall", "-o", BINARY.toString(), SOURCE.toString(), "-lnetfilter_queue"));
    }

    private static void run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(IPTABLES);
        command.addAll(args);
        exec(command);
    }

    private static void exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static boolean onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", name));
    }
}
