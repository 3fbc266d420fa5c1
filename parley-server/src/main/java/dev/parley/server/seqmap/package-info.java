/**
 * Sequence-number translation of a down track: outgoing numbers stay contiguous when the SFU
 * drops packets (temporal layers, layer switches), and NACKed numbers map back to the source.
 */
package dev.parley.server.seqmap;
