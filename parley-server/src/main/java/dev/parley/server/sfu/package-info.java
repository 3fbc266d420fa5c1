/**
 * Forwarding building blocks: per up track {@link dev.parley.server.sfu.PacketCache},
 * {@link dev.parley.server.sfu.NackGenerator}, {@link dev.parley.server.sfu.Jitter},
 * {@link dev.parley.server.sfu.RateMeter}, {@link dev.parley.server.sfu.KeyframeRequester},
 * {@link dev.parley.server.sfu.RtpClockMapping}; per down track {@link dev.parley.server.sfu.SeqMap}
 * and {@link dev.parley.server.sfu.LossBasedEstimator}. All are single-threaded (owned by one media
 * loop), take time as arguments and do not allocate per packet.
 */
package dev.parley.server.sfu;
