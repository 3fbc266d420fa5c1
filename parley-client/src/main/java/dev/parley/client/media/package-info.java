/** Synthetic media sources (no camera, no microphone) for bots, tests and load generation. */
package dev.parley.client.media;
