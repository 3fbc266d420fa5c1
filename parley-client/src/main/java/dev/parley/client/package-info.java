/**
 * A Java client for servers speaking Galène's protocol version "2" (Parley, Galène): the
 * twin of the reference JavaScript library's {@code ServerConnection}, {@code Stream} and
 * {@code TransferredFile}, with media and data channels from libwebrtc (webrtc-java).
 *
 * <p>Start with {@link dev.parley.client.ServerConnection}; its class comment states the
 * threading rules. {@link dev.parley.client.media} has camera-less sources,
 * {@link dev.parley.client.examples} small complete programs.
 */
package dev.parley.client;
