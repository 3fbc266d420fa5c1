/** Loss detection on an up track and the NACKs that ask the presenter for what is missing. */
package dev.parley.server.nack;
