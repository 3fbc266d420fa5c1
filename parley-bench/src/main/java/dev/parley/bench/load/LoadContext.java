package dev.parley.bench.load;

import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.bench.peer.UdpReactor;
import dev.parley.rtc.srtp.SrtpProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the synthetic participants of one scenario share: where and how to join, one UDP
 * reactor thread, one DTLS certificate, a media clock for pacing, a pool for the blocking
 * connection work (ICE checks and DTLS handshakes), and the receive statistics.
 */
public final class LoadContext implements AutoCloseable {
    final URI url;
    final String group;
    final String password;
    final String userPrefix;
    final SrtpProfile[] profiles;
    final HttpClient http = HttpClient.newHttpClient();
    final UdpReactor reactor = new UdpReactor("bench-udp");
    final DtlsCertificate certificate = DtlsCertificate.generate();
    final ScheduledExecutorService clock;
    final ExecutorService connectPool = Executors.newFixedThreadPool(8,
            Thread.ofPlatform().daemon().name("bench-connect-", 0).factory());
    final ReceiveStats stats = new ReceiveStats();
    final List<Participant> participants = new CopyOnWriteArrayList<>();
    private final AtomicInteger users = new AtomicInteger();
    final AtomicInteger connectFailures = new AtomicInteger();

    public LoadContext(URI url, String group, String userPrefix, String password, SrtpProfile[] profiles) {
        this.url = url;
        this.group = group;
        this.userPrefix = userPrefix;
        this.password = password;
        this.profiles = profiles;
        ScheduledThreadPoolExecutor c = new ScheduledThreadPoolExecutor(2,
                Thread.ofPlatform().daemon().priority(Thread.MAX_PRIORITY).name("bench-clock-", 0).factory());
        c.setRemoveOnCancelPolicy(true);
        this.clock = c;
    }

    public ReceiveStats stats() {
        return stats;
    }

    /** Connects a new participant and joins the group. */
    public Participant join() throws java.io.IOException {
        Participant p = new Participant(this, userPrefix + "-" + users.incrementAndGet());
        try {
            p.connect();
        } catch (java.io.IOException | RuntimeException e) {
            if (p.droppedByServer()) {
                droppedWhileJoining.incrementAndGet();
            }
            p.close();
            throw e;
        }
        participants.add(p);
        return p;
    }

    public List<Participant> participants() {
        return participants;
    }

    public int connectedSubscriptions() {
        int n = 0;
        for (Participant p : participants) {
            n += p.connectedSubscriptions();
        }
        return n;
    }

    /** Packets expected and received over all subscriptions so far. */
    public long[] expectedAndReceived() {
        long e = 0, r = 0;
        for (Participant p : participants) {
            for (Subscription s : p.subscriptions()) {
                e += s.expected();
                r += s.received();
            }
        }
        return new long[] {e, r};
    }

    public long packetsSent() {
        long n = 0;
        for (Participant p : participants) {
            n += p.packetsSent();
        }
        return n;
    }

    /** Signalling connections the server closed on its own. */
    public int serverDisconnects() {
        int n = 0;
        for (Participant p : participants) {
            n += p.droppedByServer() ? 1 : 0;
        }
        return n + droppedWhileJoining.get();
    }

    final AtomicInteger droppedWhileJoining = new AtomicInteger();

    public int connectFailures() {
        return connectFailures.get();
    }

    @Override
    public void close() {
        for (Participant p : participants) {
            p.close();
        }
        participants.clear();
        clock.shutdownNow();
        connectPool.shutdownNow();
        reactor.close();
        http.shutdownNow();               // close() would wait for connections the server already dropped
    }
}
