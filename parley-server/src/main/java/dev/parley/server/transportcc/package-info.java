/**
 * Transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions): the
 * feedback we send presenters about the arrival of their packets, and the numbers our packets to
 * a receiver carried, which a plain retransmission must carry again ({@link SentNumbers}).
 */
package dev.parley.server.transportcc;
