package dev.parley.server.cluster;

import dev.parley.server.group.GroupManager;
import io.lettuce.core.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * This node as a member of a cluster: registers itself, places and holds groups through
 * leases in Redis, and renews both every third of a lease on its own thread.
 *
 * <p>Split brain is avoided by fencing on time: a node admits a join only while it is certain
 * it holds the group's lease (confirmed less than a lease ago). When Redis cannot be reached
 * it keeps serving the members it has, but after a lease without confirmation it admits
 * nobody new, which is exactly when another node may take the group.
 */
public final class ClusterNode implements Cluster {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

    private final ClusterOptions options;
    private final String id;
    private final String url;
    private final RedisLink redis;
    private final Membership membership;
    private final Leases leases;
    private final HeldGroups held;
    private final LocalGroups local;
    private final ScheduledExecutorService renewer;
    /** The live nodes as of the last successful renewal (this one excluded). */
    private volatile List<LiveNode> others = List.of();
    private volatile boolean storeDown;
    private volatile long othersReadAt = System.nanoTime();
    private static final java.lang.invoke.VarHandle OTHERS_READ;

    static {
        try {
            OTHERS_READ = java.lang.invoke.MethodHandles.lookup().findVarHandle(ClusterNode.class, "othersReadAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ClusterNode(ClusterOptions options, String url, RedisLink redis, GroupManager groups) {
        this.options = options;
        this.id = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        this.url = url;
        this.redis = redis;
        this.membership = new Membership(redis);
        this.leases = new Leases(redis, options.lease());
        this.held = new HeldGroups(options.lease());
        this.local = new LocalGroups(groups);
        this.renewer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("cluster").factory());
    }

    /**
     * Connects to Redis and registers; throws (naming the address) if Redis cannot be reached,
     * since a node that starts outside its cluster would serve groups nobody can find.
     */
    public static ClusterNode start(ClusterOptions options, String url, GroupManager groups) {
        RedisLink redis;
        try {
            redis = RedisLink.connect(options.redis(), options.renewEvery());
        } catch (RedisException e) {
            throw new IllegalStateException("-cluster: cannot reach Redis at " + options.redis() + ": " + e.getMessage(), e);
        }
        ClusterNode node = new ClusterNode(options, url, redis, groups);
        node.renew();
        if (node.storeDown) {
            node.close();
            throw new IllegalStateException("-cluster: cannot register in Redis at " + options.redis());
        }
        long every = options.renewEvery().toMillis();
        node.renewer.scheduleWithFixedDelay(node::renew, every, every, TimeUnit.MILLISECONDS);
        log.info("cluster node {} at {} registered in {} (lease {} ms)", node.id, url, options.redis(),
                options.lease().toMillis());
        return node;
    }

    public String id() {
        return id;
    }

    public String url() {
        return url;
    }

    @Override
    public Placement place(String group) {
        return decide(group, false);
    }

    @Override
    public Placement placeForJoin(String group) {
        return decide(group, true);
    }

    private Placement decide(String group, boolean join) {
        long sentAt = System.nanoTime();
        Leases.Owner owner;
        try {
            owner = leases.place(group, id, held.holds(group));
        } catch (RedisException e) {
            // Redis is away: only a group we certainly still hold may take someone new.
            if (held.certain(group, System.nanoTime())) {
                return Placement.HERE;
            }
            return new Placement.Unavailable("this group's server cannot be determined now; try again shortly");
        }
        if (owner == null) {
            return new Placement.Unavailable("no server of the cluster is registered");
        }
        if (owner == Leases.Owner.RECOVERING) {
            return new Placement.Unavailable("the cluster is recovering from a restart of its store; try again in a few seconds");
        }
        if (!owner.nodeId().equals(id)) {
            if (held.holds(group)) {
                held.drop(group);                       // it was taken while we could not renew
                log.warn("group {} is now held by node {}", group, owner.nodeId());
            }
            return new Placement.Elsewhere(owner.nodeId(), owner.url());
        }
        if (join || held.holds(group)) {
            held.confirm(group, sentAt);               // the script extended our lease
        }
        if (join) {
            held.busy(group, System.nanoTime());       // not released as idle before the member is in
        }
        return Placement.HERE;
    }

    /** The periodic task: registration, then leases, then idle groups, then the snapshot. */
    private void renew() {
        long sentAt = System.nanoTime();
        try {
            List<String> names = held.names();
            membership.register(id, url, local.load(names.size()), local.publicSummaries(names), options.lease(),
                    options.recoveryGrace());
            List<Boolean> still = leases.renew(id, names);
            for (int i = 0; i < names.size(); i++) {
                String g = names.get(i);
                if (still.get(i)) {
                    held.confirm(g, sentAt);
                } else {
                    held.drop(g);
                    log.warn("lost the lease of group {} to another node; admitting nobody new to it", g);
                }
            }
            releaseIdle(sentAt);
            readOthers();
            if (storeDown) {
                storeDown = false;
                log.info("cluster: Redis at {} reachable again, node {} registered with {} groups",
                        options.redis(), id, held.size());
            }
        } catch (RedisException e) {
            if (!storeDown) {
                log.warn("cluster: cannot renew in Redis at {} ({}); serving current members, admitting new ones"
                        + " only while leases are certain", options.redis(), e.getMessage());
            }
            storeDown = true;
        } catch (RuntimeException e) {
            log.warn("cluster renewal failed", e);
        }
    }

    private void releaseIdle(long now) {
        for (String g : held.names()) {
            if (local.clientCount(g) > 0) {
                held.busy(g, now);
            } else if (held.idleSince(g, now)) {
                held.drop(g);
                leases.release(id, g);
            }
        }
    }

    @Override
    public boolean isNodeOrigin(String origin) {
        if (origin == null) {
            return false;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        if (others.stream().anyMatch(n -> NodeUrls.origin(n.url()).equals(o))) {
            return true;
        }
        // Perhaps a node that registered since our last renewal. This runs on the event loop,
        // so Redis is read in the background (at most every 100 ms, whatever the Origins sent):
        // the page's retry, or the web client's reconnection, finds the node known.
        long now = System.nanoTime();
        long last = othersReadAt;
        if (now - last >= 100_000_000L && OTHERS_READ.compareAndSet(this, last, now)) {
            try {
                renewer.execute(this::readOthers);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping
            }
        }
        return false;
    }

    private void readOthers() {
        try {
            others = membership.liveNodes().stream().filter(n -> !n.id().equals(id)).toList();
            othersReadAt = System.nanoTime();
        } catch (RedisException e) {
            // the renewal reports Redis trouble
        }
    }

    @Override
    public Map<String, Remote> publicGroupsElsewhere() {
        Set<String> mine = Set.copyOf(held.names());
        return others.stream()
                .flatMap(n -> n.publicGroups().entrySet().stream()
                        .filter(e -> !mine.contains(e.getKey()))
                        .map(e -> Map.entry(e.getKey(), new Remote(e.getValue(), n.webSocketEndpoint()))))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
    }

    /** Stops renewing, hands back every lease at once and leaves the node set. */
    @Override
    public void close() {
        renewer.shutdown();
        try {
            renewer.awaitTermination(options.lease().toMillis(), TimeUnit.MILLISECONDS);   // a renewal in flight ends first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            for (String g : held.names()) {
                leases.release(id, g);
            }
            membership.deregister(id);
        } catch (RedisException e) {
            log.info("cluster: could not release leases on shutdown ({}); they expire in {} ms",
                    e.getMessage(), options.lease().toMillis());
        } finally {
            redis.close();
        }
    }
}
