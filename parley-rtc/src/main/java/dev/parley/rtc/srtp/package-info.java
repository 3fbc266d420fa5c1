/**
 * SRTP and SRTCP (RFC 3711, RFC 7714) for AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM.
 * {@link dev.parley.rtc.srtp.SrtpContext} protects or unprotects one direction, in place or into a
 * given buffer, with per-SSRC rollover counters and 512-packet replay windows; results below zero are
 * {@link dev.parley.rtc.srtp.SrtpStatus} codes.
 */
package dev.parley.rtc.srtp;
