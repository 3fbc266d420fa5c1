/**
 * A TURN server (RFC 8656) on the STUN codec of {@code dev.parley.rtc.stun}: long-term credentials with
 * stateless nonces, Allocate, Refresh, CreatePermission, ChannelBind, Send/Data indications and
 * ChannelData, over UDP and TCP towards clients and UDP towards peers, all on one Netty event loop.
 * {@link dev.parley.rtc.turn.TurnServer} is the entry point; {@link dev.parley.rtc.turn.TurnLimits} and
 * {@link dev.parley.rtc.turn.PeerPolicy} bound what a credential holder can do with it.
 */
package dev.parley.rtc.turn;
