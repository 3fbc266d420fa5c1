/**
 * The AV1 RTP Dependency Descriptor header extension (AV1 RTP payload specification, appendix A;
 * URI {@value dev.parley.server.dependencydescriptor.DependencyDescriptor#URI}): which spatial and
 * temporal layer each frame of a scalable stream belongs to, so that a down track can drop the
 * layers a receiver does not want (docs/svc.md, AV1 section). Allocation-free per packet.
 */
package dev.parley.server.dependencydescriptor;
