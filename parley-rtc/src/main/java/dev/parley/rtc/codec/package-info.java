/**
 * Video payload inspection: keyframes and frame starts
 * ({@link dev.parley.rtc.codec.KeyframeDetector}), per-packet layer facts
 * ({@link dev.parley.rtc.codec.PacketFlags}) and VP8/VP9 payload descriptors, including the VP8
 * picture-id rewrite. Instances are reusable views: keep one per thread; no per-packet allocation.
 */
package dev.parley.rtc.codec;
