/** Interarrival jitter of an RTP stream (RFC 3550 6.4.1, A.8), for our receiver reports. */
package dev.parley.server.jitter;
