/**
 * RTCP on the media path: {@link dev.parley.rtc.rtcp.RtcpReader} validates a compound packet and
 * calls an {@link dev.parley.rtc.rtcp.RtcpHandler}; {@link dev.parley.rtc.rtcp.RtcpWriter} writes
 * SR/RR/SDES/BYE/NACK/PLI/FIR/REMB into a caller buffer. Nothing here allocates.
 */
package dev.parley.rtc.rtcp;
