/**
 * STUN (RFC 5389/8489) as ICE uses it: {@link dev.parley.rtc.stun.StunMessage} is a reusable,
 * allocation-free view over a received message, {@link dev.parley.rtc.stun.StunWriter} writes one into a
 * caller's buffer, {@link dev.parley.rtc.stun.StunIntegrity} computes and checks MESSAGE-INTEGRITY and
 * FINGERPRINT. Malformed input raises {@link dev.parley.rtc.stun.StunFormatException}.
 */
package dev.parley.rtc.stun;
