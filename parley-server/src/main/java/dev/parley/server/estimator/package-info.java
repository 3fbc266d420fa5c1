/**
 * Rate estimates: what a stream carries ({@link dev.parley.server.estimator.RateMeter}) and what a
 * receiver can take ({@link dev.parley.server.estimator.LossBasedEstimator}, from receiver reports
 * and REMB). Single-threaded, take time as arguments, no allocation per packet.
 */
package dev.parley.server.estimator;
