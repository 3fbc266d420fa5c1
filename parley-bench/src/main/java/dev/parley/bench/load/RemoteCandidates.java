package dev.parley.bench.load;

import dev.parley.protocol.Message;
import dev.parley.rtc.sdp.Candidate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server's ICE candidates of one participant's streams, whether they come inside the SDP or
 * trickled in {@code ice} messages, before or after it (S16, S22: a server such as Galène sends
 * them only that way). The server is ICE-lite, so one reachable candidate is enough; of several,
 * an address of this machine is preferred (the load generator usually runs beside the server),
 * then the server's own priority.
 */
final class RemoteCandidates {
    private final Map<String, List<Candidate>> trickled = new HashMap<>();   // guarded by this

    /** An {@code ice} message from the server; malformed or non-UDP candidates are skipped. */
    synchronized void add(String streamId, Message.Candidate c) {
        if (streamId == null || c == null || c.candidate() == null || c.candidate().isBlank()) {
            return;
        }
        Candidate parsed;
        try {
            parsed = Candidate.parse(c.candidate());
        } catch (IllegalArgumentException e) {
            System.err.println("ignoring a malformed server candidate for " + streamId + ": " + e.getMessage());
            return;
        }
        if (parsed.isUdp()) {
            trickled.computeIfAbsent(streamId, k -> new ArrayList<>()).add(parsed);
            notifyAll();
        }
    }

    /** Forgets a stream's trickled candidates (it closed). */
    synchronized void forget(String streamId) {
        trickled.remove(streamId);
    }

    /**
     * The address to connect stream {@code streamId} to: the best of the SDP's candidates and the
     * trickled ones, waiting up to {@code timeoutMillis} for a first trickled one when the SDP has none.
     */
    synchronized InetSocketAddress choose(String streamId, List<Candidate> fromSdp, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (fromSdp.isEmpty() && trickled.getOrDefault(streamId, List.of()).isEmpty()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new IOException("the server sent no UDP candidate for stream " + streamId
                        + ", neither in its SDP nor in ice messages, within " + timeoutMillis + " ms");
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the server's candidates", e);
            }
        }
        List<Candidate> all = new ArrayList<>(fromSdp);
        all.addAll(trickled.getOrDefault(streamId, List.of()));
        Candidate best = all.stream().min(Comparator.comparing((Candidate c) -> !isLocal(c.address()))
                .thenComparing(Comparator.comparingLong(Candidate::priority).reversed())).orElseThrow();
        return new InetSocketAddress(best.address(), best.port());
    }

    /** Whether an address belongs to this machine (loopback included); names are not resolved. */
    static boolean isLocal(String address) {
        if (!address.contains(":") && !address.matches("[0-9.]+")) {
            return false;                                   // a name (mDNS): never resolved here
        }
        try {
            InetAddress a = InetAddress.getByName(address);  // a literal: no lookup
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
