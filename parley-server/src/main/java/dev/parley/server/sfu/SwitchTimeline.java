package dev.parley.server.sfu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEBUG lines at each step of a congested receiver's move to a smaller layer (issue #14), so
 * that a run's timeline can be read from the log: the link gives way (over-use, loss), the
 * budget falls short of the layer, the choice decides, the keyframe is asked of the presenter
 * (or the request is held back by the PLI interval), the keyframe arrives, the first packet of
 * the new layer is forwarded. {@code CongestedReceiverTest} captures this logger to print the
 * timeline. Each step is an event, seconds apart, not a packet: guarded, so that a disabled
 * logger boxes nothing on the media loop.
 */
final class SwitchTimeline {
    static final Logger log = LoggerFactory.getLogger(SwitchTimeline.class);

    private SwitchTimeline() {
    }

    static void overuse(long rateBefore, long rateAfter, long ackedBps) {
        if (log.isDebugEnabled()) {
            log.debug("over-use: delay-based rate {} -> {} bit/s (acked {})", rateBefore, rateAfter, ackedBps);
        }
    }

    static void lossCut(int fractionLost, long limitBefore, long limitAfter) {
        if (log.isDebugEnabled()) {
            log.debug("loss cut: {}/256 lost, loss bound {} -> {} bit/s", fractionLost, limitBefore, limitAfter);
        }
    }

    static void loss(int fractionLost, long rttMs) {
        if (log.isDebugEnabled()) {
            log.debug("loss reported: {}/256 (round trip {} ms)", fractionLost, rttMs);
        }
    }

    static void shortOfLayer(long budget, long layerBps, int cap) {
        if (log.isDebugEnabled()) {
            log.debug("budget short: {} bit/s for a layer of {} (cap {})", budget, layerBps, cap);
        }
    }

    static void keyframeAsked(UpTrack t, boolean sent) {
        if (log.isDebugEnabled()) {
            log.debug(sent ? "keyframe asked: PLI to layer {}" : "keyframe asked: PLI to layer {} held back (interval)",
                    t.rid());
        }
    }

    static void keyframeArrived(UpTrack t, boolean asked) {
        if (log.isDebugEnabled()) {
            log.debug(asked ? "keyframe arrived: layer {} (asked)" : "keyframe arrived: layer {} (not asked)", t.rid());
        }
    }

    static void switched(UpTrack from, UpTrack to) {
        if (log.isDebugEnabled()) {
            log.debug("switched: first packet of layer {} forwarded (was {})", to.rid(), from == null ? "-" : from.rid());
        }
    }

    static void probe(long rate, long estimate, int packets, boolean copies) {
        if (log.isDebugEnabled()) {
            log.debug("probe: cluster at {} bit/s (estimate {}), {} {}", rate, estimate, packets,
                    copies ? "RTX copies of media" : "padding packets");
        }
    }

    static void cutSeen(long budget, long layerBps, int cap) {
        if (log.isDebugEnabled()) {
            log.debug("choice after a cut: budget {} bit/s, layer {} (cap {})", budget, layerBps, cap);
        }
    }

    static void capped(UpTrack source, UpTrack target, boolean draining) {
        if (log.isDebugEnabled()) {
            log.debug("capped: target layer {} (source {}, {})", target.rid(), source == null ? "-" : source.rid(),
                    draining ? "source stopped" : "source kept");
        }
    }
}
