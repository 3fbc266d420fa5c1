/**
 * RTP on the media path: {@link dev.parley.rtc.rtp.RtpPacket} is a reusable view over a byte
 * array, {@link dev.parley.rtc.rtp.RtpWriter} writes forwarded packets with a fresh header, and
 * {@link dev.parley.rtc.rtp.Seq16} does 16-bit sequence arithmetic. Nothing here allocates per
 * packet.
 */
package dev.parley.rtc.rtp;
