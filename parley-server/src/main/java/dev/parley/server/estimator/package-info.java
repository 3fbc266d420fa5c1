/**
 * Rate estimates: what a stream carries ({@link dev.parley.server.estimator.RateMeter}) and what a
 * receiver can take — from receiver reports and REMB
 * ({@link dev.parley.server.estimator.LossBasedEstimator}), and send-side from the receiver's
 * transport-wide congestion control feedback (GCC, {@link dev.parley.server.estimator.SendSideEstimator}
 * and its parts, with probing by {@link dev.parley.server.estimator.ProbeController}; see
 * docs/congestion-control.md). Single-threaded, take time as arguments, no allocation per packet.
 */
package dev.parley.server.estimator;
