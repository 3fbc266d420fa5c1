package dev.parley.bench.load;

import dev.parley.bench.impair.LinkImpairment;
import dev.parley.bench.media.Pacing;
import dev.parley.bench.peer.ClientPeer;
import dev.parley.bench.signalling.SignallingClient;
import dev.parley.protocol.Message;
import dev.parley.rtc.sdp.SessionDescription;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One synthetic user: a protocol connection that joins the group, may publish one stream, and
 * receives whatever the server offers it (one {@link Subscription} per down stream). Offers are
 * handled one at a time per participant, off the WebSocket thread, because connecting blocks.
 */
public final class Participant implements AutoCloseable {
    private final LoadContext ctx;
    private final String username;
    private final int index;
    private final ReceiverGroup group;
    private int impairedLinks;
    private SignallingClient signalling;
    private volatile String publishedId;
    private final Map<String, CompletableFuture<Message>> pendingAnswers = new ConcurrentHashMap<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final RemoteCandidates candidates = new RemoteCandidates();
    private final Executor serial;
    private volatile Publisher publisher;

    Participant(LoadContext ctx, String username, int index, ReceiverGroup group) {
        this.ctx = ctx;
        this.username = username;
        this.index = index;
        this.group = group;
        this.serial = new SerialExecutor(ctx.connectPool);
    }

    void connect() throws IOException {
        signalling = SignallingClient.connect(ctx.http, ctx.url);
        signalling.setHandler(this::onMessage);
        signalling.join(ctx.group, username, ctx.password, 15_000);
    }

    public String username() {
        return username;
    }

    /** Asks for these kinds ("audio", "video", "video-low") of every stream (S1). */
    public void request(List<String> kinds) throws IOException {
        signalling.request(Map.of("", kinds));
    }

    /**
     * Publishes a stream: audio if asked, and one VP8 layer per entry of {@code layers} (bit/s).
     * Blocks until the transport is up, then starts sending.
     */
    public Publisher publish(boolean audio, int[] layers, int fps, double keyframeSeconds) throws IOException {
        return publish(new MediaSettings(audio, layers, fps, keyframeSeconds, Pacing.LIBWEBRTC));
    }

    /** Publishes a stream as {@code media} says (video paced or in bursts). Blocks until it is up. */
    public Publisher publish(MediaSettings media) throws IOException {
        boolean audio = media.audio();
        int fps = media.fps();
        ClientPeer peer = new ClientPeer(ctx.readers.assign(), ctx.certificate, ctx.profiles);
        String id = UUID.randomUUID().toString().substring(0, 12);
        Publisher pub = new Publisher(peer, username, audio, media.layers(), fps, media.keyframeSeconds(),
                media.pacing());
        String sdp = PublisherSdp.offer(peer.localCredentials(), peer.localFingerprint(), "s" + id, username,
                pub.audioSsrc(), pub.videoSsrcs(), media.transportCc());
        CompletableFuture<Message> answer = new CompletableFuture<>();
        pendingAnswers.put(id, answer);
        signalling.offer(id, "camera", sdp);
        Message m;
        try {
            m = answer.get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            peer.close();
            throw new IOException("no answer to our offer: " + e, e);
        }
        SessionDescription answerSdp = SessionDescription.parse(m.sdp());
        if (media.transportCc()) {
            int transportCc = PublisherSdp.keepsTransportCc(answerSdp);
            if (transportCc < 0) {
                peer.close();
                throw new IOException("the server's answer did not keep transport-cc: run without --transport-cc");
            }
            pub.numberWith(transportCc);
        }
        RemoteDescription remote = RemoteDescription.of(answerSdp);
        try {
            peer.connect(candidates.choose(id, remote.candidates(), 15_000), remote.ice(), remote.fingerprint(), 15_000);
        } catch (IOException e) {
            peer.close();
            throw e;
        }
        pub.start(ctx.clock, ctx.paced, fps);
        publisher = pub;
        publishedId = id;
        return pub;
    }

    /** Tells the server our stream is gone (a "close" message), then closes its transport. */
    public void unpublish() throws IOException {
        Publisher p = publisher;
        if (p == null) {
            return;
        }
        signalling.closeStream(publishedId);
        candidates.forget(publishedId);
        publisher = null;
        p.close();
    }

    private void onMessage(Message m) {
        switch (m.type()) {
            case "answer" -> {
                CompletableFuture<Message> f = pendingAnswers.remove(m.id());
                if (f != null) {
                    f.complete(m);
                }
            }
            case "abort" -> {
                CompletableFuture<Message> f = pendingAnswers.remove(m.id());
                if (f != null) {
                    f.completeExceptionally(new IOException("server aborted stream " + m.id()));
                }
            }
            case "offer" -> serial.execute(() -> onOffer(m));
            case "ice" -> candidates.add(m.id(), m.candidate());            // before or after the SDP (S16)
            case "close" -> serial.execute(() -> {
                candidates.forget(m.id());
                Subscription s = subscriptions.remove(m.id());
                if (s != null) {
                    s.close();
                    connected.decrementAndGet();
                }
            });
            case "usermessage" -> {
                if ("error".equals(m.kind())) {
                    System.err.println(username + ": server error: " + m.value());
                }
            }
            default -> { }
        }
    }

    private void onOffer(Message m) {
        try {
            SessionDescription offer = SessionDescription.parse(m.sdp());
            Subscription s = subscriptions.get(m.id());
            boolean fresh = s == null;
            if (fresh) {
                ClientPeer peer = new ClientPeer(ctx.readers.assign(), ctx.certificate, ctx.profiles);
                if (group.impaired()) {
                    peer.impair(new LinkImpairment(group.profile, ctx.impairments.seedFor(index, impairedLinks++),
                            group.link));
                }
                s = new Subscription(m.id(), peer, ctx.stats, group);
                subscriptions.put(m.id(), s);
            }
            s.describe(offer);
            signalling.answer(m.id(), SubscriberSdp.answer(offer, s.peer().localCredentials(), s.peer().localFingerprint()));
            if (fresh) {
                RemoteDescription remote = RemoteDescription.of(offer);
                s.peer().connect(candidates.choose(m.id(), remote.candidates(), 15_000), remote.ice(),
                        remote.fingerprint(), 15_000);
                connected.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            ctx.connectFailures.incrementAndGet();
            System.err.println(username + ": cannot receive stream " + m.id() + ": " + e);
        }
    }

    /** True when the server closed our signalling connection (not us). */
    public boolean droppedByServer() {
        SignallingClient s = signalling;
        return s != null && s.isClosed() && !s.closedByUs();
    }

    public int connectedSubscriptions() {
        return connected.get();
    }

    public List<Subscription> subscriptions() {
        return new ArrayList<>(subscriptions.values());
    }

    public long packetsSent() {
        Publisher p = publisher;
        return p == null ? 0 : p.packetsSent();
    }

    public Publisher publisher() {
        return publisher;
    }

    @Override
    public void close() {
        Publisher p = publisher;
        if (p != null) {
            p.close();
        }
        subscriptions.values().forEach(Subscription::close);
        if (signalling != null) {
            signalling.close();
        }
    }

    /** Runs tasks one after another on a shared pool. */
    private static final class SerialExecutor implements Executor {
        private final Executor pool;
        private final java.util.ArrayDeque<Runnable> queue = new java.util.ArrayDeque<>();
        private boolean running;

        SerialExecutor(Executor pool) {
            this.pool = pool;
        }

        @Override
        public synchronized void execute(Runnable r) {
            queue.add(r);
            if (!running) {
                running = true;
                try {
                    pool.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    queue.clear();                  // the run is over: late messages are moot
                    running = false;
                }
            }
        }

        private void drain() {
            while (true) {
                Runnable r;
                synchronized (this) {
                    r = queue.poll();
                    if (r == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    r.run();
                } catch (RuntimeException e) {
                    System.err.println("participant task failed: " + e);
                }
            }
        }
    }
}
