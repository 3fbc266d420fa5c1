/**
 * Which layers a receiver gets: simulcast layer choice from its estimate
 * ({@link dev.parley.server.layers.SimulcastChoice}) and temporal-layer dropping
 * ({@link dev.parley.server.layers.TemporalLayerFilter}).
 */
package dev.parley.server.layers;
