/**
 * The store of an up track's recent packets, for retransmissions (NACK, RTX), keyframe
 * detection and the counters of receiver reports. Single-threaded, no allocation per packet.
 */
package dev.parley.server.packetcache;
