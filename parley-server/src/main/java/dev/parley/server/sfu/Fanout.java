package dev.parley.server.sfu;

import dev.parley.rtc.rtp.RtpPacket;
import dev.parley.rtc.transport.HandoffTarget;
import dev.parley.rtc.transport.MediaLoop;

import java.util.Arrays;

/**
 * Where an up track's packets go: its down tracks, grouped by the media loop that owns each
 * receiver's transport. Runs on the presenter's loop (the up track's).
 *
 * <p>Why: a down track's state (sequence map, layer filter, rate, SRTP context, socket) belongs
 * to the receiver's loop, so that the per-receiver work of a big audience spreads over every
 * core. Receivers on the presenter's own loop are served inline. Every other loop with receivers
 * gets each packet once (not once per receiver), copied into its bounded inbox from this loop
 * ({@link MediaLoop#handOff}: no lock, no allocation), together with the array of its receivers
 * as it was when the packet was handed off, so a receiver attached later never gets an older
 * packet out of order and one detached keeps getting the packets already queued for it (they
 * are dropped by its closed transport). That loop then forwards it to each of them as this loop
 * would.
 */
final class Fanout {
    private static final DownTrack[] NONE = new DownTrack[0];
    private static final long KEYFRAME = 1;
    private static final long RESEND = 2;
    private static final int KIND_BITS = 8;

    private final UpStream stream;
    /** The up track whose packets these are: a down track fed by several simulcast layers tells them apart. */
    private final UpTrack source;
    private DownTrack[] local = NONE;
    private Remote[] remotes = new Remote[0];

    Fanout(UpStream stream, UpTrack source) {
        this.stream = stream;
        this.source = source;
    }

    /** The loop that owns {@code transport}; null for transports with no loop of their own (fakes in tests). */
    static MediaLoop loopOf(MediaTransport transport) {
        return transport == null ? null : transport.loop();
    }

    /**
     * Runs {@code task} on the loop of {@code owner}: at once when the caller is on it (or the
     * transport has no loop), else posted. For control (attach, PLI, NACK service), not per packet.
     */
    static void runOn(MediaTransport owner, Runnable task) {
        MediaLoop loop = loopOf(owner);
        if (loop == null || loop.inLoop()) {
            task.run();
        } else {
            owner.execute(task);
        }
    }

    private MediaLoop home() {
        return loopOf(stream.transport());
    }

    /** The loop of a receiver's down track, or null when it is this one. */
    private MediaLoop remoteLoop(DownTrack d) {
        MediaLoop home = home();
        MediaLoop loop = loopOf(d.transport());
        return home == null || loop == null || loop == home ? null : loop;
    }

    void add(DownTrack d) {
        MediaLoop loop = remoteLoop(d);
        if (loop == null) {
            local = append(local, d);
        } else {
            Remote r = remote(loop);
            r.tracks = append(r.tracks, d);
        }
    }

    void remove(DownTrack d) {
        local = without(local, d);
        for (Remote r : remotes) {
            r.tracks = without(r.tracks, d);
        }
    }

    /**
     * One packet of the up track, whose parsed view is {@code p}, to every receiver. The other
     * loops get it first: each starts its share of the copies at once, in parallel with this
     * loop's share. Served after the local receivers (as before December 2026), every copy on
     * another loop waited for all of this loop's copies, so the last copy of a packet left no
     * sooner than with one loop.
     */
    void forward(RtpPacket p, byte[] buf, int off, int len, boolean keyframe, long nowNanos) {
        Remote[] rs = remotes;
        if (rs.length > 0) {
            MediaLoop home = home();
            long arg = keyframe ? KEYFRAME : 0;
            for (Remote r : rs) {
                if (r.tracks.length > 0) {
                    home.handOff(r.loop, r, r.tracks, buf, off, len, arg);
                }
            }
        }
        for (DownTrack d : local) {
            d.forward(source, p, keyframe, nowNanos);
        }
    }

    /** A packet for one receiver only (the replay from a cached keyframe when it attaches). */
    void forwardTo(DownTrack d, RtpPacket p, byte[] buf, int off, int len, boolean keyframe, long nowNanos) {
        MediaLoop loop = remoteLoop(d);
        if (loop == null) {
            d.forward(source, p, keyframe, nowNanos);
        } else {
            home().handOff(loop, remote(loop), new DownTrack[] {d}, buf, off, len, keyframe ? KEYFRAME : 0);
        }
    }

    /**
     * A cached packet a receiver on another loop asked for with a NACK: resent there, numbered as
     * in {@code epoch}, the down track's source epoch it was first sent in (carried in the
     * hand-off's argument above the kind bits).
     */
    void resendTo(DownTrack d, byte[] buf, int off, int len, int epoch) {
        MediaLoop loop = remoteLoop(d);
        if (loop == null) {
            d.resend(buf, off, len, epoch);
        } else {
            home().handOff(loop, remote(loop), d, buf, off, len, RESEND | ((long) epoch << KIND_BITS));
        }
    }

    private Remote remote(MediaLoop loop) {
        for (Remote r : remotes) {
            if (r.loop == loop) {
                return r;
            }
        }
        Remote r = new Remote(loop, source);
        remotes = Arrays.copyOf(remotes, remotes.length + 1);
        remotes[remotes.length - 1] = r;
        return r;
    }

    private static DownTrack[] append(DownTrack[] a, DownTrack d) {
        DownTrack[] next = Arrays.copyOf(a, a.length + 1);
        next[a.length] = d;
        return next;
    }

    private static DownTrack[] without(DownTrack[] a, DownTrack d) {
        int i = Arrays.asList(a).indexOf(d);
        if (i < 0) {
            return a;
        }
        DownTrack[] next = new DownTrack[a.length - 1];
        System.arraycopy(a, 0, next, 0, i);
        System.arraycopy(a, i + 1, next, i, a.length - i - 1);
        return next;
    }

    /**
     * The receivers of this up track on one other loop. {@link #tracks} is written on the
     * presenter's loop only; the receiving loop sees the snapshot that came with each packet.
     */
    private static final class Remote implements HandoffTarget {
        final MediaLoop loop;
        private final UpTrack source;
        DownTrack[] tracks = NONE;
        private final RtpPacket view = new RtpPacket();          // the receiving loop's

        Remote(MediaLoop loop, UpTrack source) {
            this.loop = loop;
            this.source = source;
        }

        /** On {@link #loop}. */
        @Override
        public void onHandoff(Object ref, byte[] buf, int off, int len, long arg) {
            if ((arg & ((1 << KIND_BITS) - 1)) == RESEND) {
                ((DownTrack) ref).resend(buf, off, len, (int) (arg >>> KIND_BITS));
                return;
            }
            if (!view.wrap(buf, off, len)) {
                return;
            }
            long now = System.nanoTime();
            boolean keyframe = arg == KEYFRAME;
            for (DownTrack d : (DownTrack[]) ref) {
                d.forward(source, view, keyframe, now);
            }
        }
    }
}
