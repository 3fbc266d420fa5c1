/** The mapping between an RTP stream's clock and NTP wall-clock time, learnt from sender reports. */
package dev.parley.server.rtptime;
