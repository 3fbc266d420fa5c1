/**
 * The forwarding core: a presenter's {@link dev.parley.server.sfu.UpStream} and its
 * {@link dev.parley.server.sfu.UpTrack}s, a receiver's {@link dev.parley.server.sfu.DownStream} and
 * its {@link dev.parley.server.sfu.DownTrack}s, their SDP negotiation and transports
 * ({@link dev.parley.server.sfu.MediaService}), and the hand-off of packets between media loops
 * ({@link dev.parley.server.sfu.Fanout}). The stateless building blocks they use live in their own
 * packages, each named after its noun: {@code packetcache}, {@code nack}, {@code jitter},
 * {@code estimator}, {@code keyframe}, {@code rtptime}, {@code seqmap}, {@code layers},
 * {@code transportcc}; all are single-threaded (owned by one media loop), take time as arguments
 * and do not allocate per packet.
 */
package dev.parley.server.sfu;
