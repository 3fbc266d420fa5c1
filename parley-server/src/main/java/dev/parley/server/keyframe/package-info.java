/** When to ask a presenter for a keyframe (PLI/FIR), and how often at most. */
package dev.parley.server.keyframe;
