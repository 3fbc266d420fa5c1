/**
 * Transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions): the
 * feedback we send presenters about the arrival of their packets.
 */
package dev.parley.server.transportcc;
