/**
 * Which layers a receiver gets: simulcast layer choice from its estimate
 * ({@link dev.parley.server.layers.SimulcastChoice}), temporal-layer dropping
 * ({@link dev.parley.server.layers.TemporalLayerFilter}) and VP9 spatial-layer dropping
 * ({@link dev.parley.server.layers.SpatialLayerFilter}).
 */
package dev.parley.server.layers;
