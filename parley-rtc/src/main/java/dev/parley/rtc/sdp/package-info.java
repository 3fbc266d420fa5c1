/**
 * SDP model for WebRTC offers and answers. {@link dev.parley.rtc.sdp.SessionDescription#parse}
 * keeps every line in order, so writing back gives the same text; typed accessors
 * ({@code codecs()}, {@code extMapId(uri)}, {@code rids()}, {@code ssrcs()}, ...) parse on demand
 * and setters edit lines in place. Signalling-thread code: these classes allocate freely.
 */
package dev.parley.rtc.sdp;
