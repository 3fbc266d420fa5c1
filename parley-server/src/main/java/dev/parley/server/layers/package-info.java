/**
 * Which layers a receiver gets: simulcast layer choice from its estimate
 * ({@link dev.parley.server.layers.SimulcastChoice}), temporal-layer dropping
 * ({@link dev.parley.server.layers.TemporalLayerFilter}) and VP9 and AV1 spatial-layer dropping
 * ({@link dev.parley.server.layers.SpatialLayerFilter}; AV1's layers come from
 * {@link dev.parley.server.dependencydescriptor.DependencyDescriptor}).
 */
package dev.parley.server.layers;
