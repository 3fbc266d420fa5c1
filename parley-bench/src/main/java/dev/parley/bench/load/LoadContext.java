package dev.parley.bench.load;

import dev.parley.bench.impair.ImpairmentPlan;
import dev.parley.bench.peer.UdpReaders;
import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.srtp.SrtpProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the synthetic participants of one scenario share: where and how to join, the UDP
 * reading threads, one DTLS certificate, a media clock (audio, unpaced video), the thread that
 * paces video, a pool for the blocking
 * connection work (ICE checks and DTLS handshakes), the receive statistics, and which
 * participants receive through an emulated impaired network (their {@link ReceiverGroup}).
 */
public final class LoadContext implements AutoCloseable {
    final URI url;
    final String group;
    final String password;
    final String userPrefix;
    final SrtpProfile[] profiles;
    final HttpClient http = HttpClient.newHttpClient();
    /** With separate client processes every peer wakes its own reader; a few peers per reader comes close. */
    public static final int DEFAULT_PEERS_PER_READER = 4;
    final UdpReaders readers;
    final ImpairmentPlan impairments;
    final List<ReceiverGroup> groups = new ArrayList<>();
    final DtlsCertificate certificate = DtlsCertificate.generate();
    final ScheduledExecutorService clock;
    /** Produces and paces the video of paced publishers (started with the first of them). */
    final PacedSenders paced = new PacedSenders();
    final ExecutorService connectPool = Executors.newFixedThreadPool(8,
            Thread.ofPlatform().daemon().name("bench-connect-", 0).factory());
    final ReceiveStats stats = new ReceiveStats();
    final List<Participant> participants = new CopyOnWriteArrayList<>();
    private final AtomicInteger users = new AtomicInteger();
    final AtomicInteger connectFailures = new AtomicInteger();

    public LoadContext(URI url, String group, String userPrefix, String password, SrtpProfile[] profiles) {
        this(url, group, userPrefix, password, profiles, DEFAULT_PEERS_PER_READER, ImpairmentPlan.none());
    }

    public LoadContext(URI url, String group, String userPrefix, String password, SrtpProfile[] profiles,
            int peersPerReader, ImpairmentPlan impairments) {
        this.readers = new UdpReaders("bench-udp", peersPerReader);
        this.impairments = impairments;
        groups.add(new ReceiverGroup(0, null));
        for (int g = 0; g < impairments.groups().size(); g++) {
            groups.add(new ReceiverGroup(g + 1, impairments.groups().get(g)));
        }
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
        int index = users.incrementAndGet();
        Participant p = new Participant(this, userPrefix + "-" + index, index, groups.get(impairments.groupOf(index)));
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

    /** Each receiver group's totals so far; the first is the unimpaired subscribers. */
    public List<GroupTotals> groupTotals() {
        List<GroupTotals> out = new ArrayList<>();
        long now = System.nanoTime();
        for (ReceiverGroup g : groups) {
            int subscriptions = 0;
            long expected = 0, received = 0, missed = 0;
            long[] frames = new long[3];
            for (Participant p : participants) {
                for (Subscription s : p.subscriptions()) {
                    if (s.group() != g) {
                        continue;
                    }
                    subscriptions++;
                    expected += s.expected();
                    received += s.received();
                    missed += s.missedOnArrival();
                    long[] f = s.frameCounts(now);
                    for (int i = 0; i < 3; i++) {
                        frames[i] += f[i];
                    }
                }
            }
            out.add(new GroupTotals(g.label(), g.impaired(), subscriptions, expected, received, missed,
                    g.link.arrived(), g.link.lost(), g.link.queueDrops(), g.nacks.get(), g.plis.get(),
                    frames[0], frames[1], frames[2]));
        }
        return out;
    }

    /** Reading threads started so far. */
    public int readerThreads() {
        return readers.readerThreads();
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
        paced.close();
        connectPool.shutdownNow();
        readers.close();
        http.shutdownNow();               // close() would wait for connections the server already dropped
    }
}
