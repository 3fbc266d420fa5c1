/**
 * ICE-lite (RFC 8445 §2.5): {@link dev.parley.rtc.ice.IceLiteAgent} validates and answers the peer's
 * Binding requests, supports make-before-break ICE restart and tracks consent freshness (RFC 7675).
 */
package dev.parley.rtc.ice;
