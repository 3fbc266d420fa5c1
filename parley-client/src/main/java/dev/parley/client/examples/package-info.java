/** Small complete programs built on the SDK: a chat bot, a file sender, a frame-statistics receiver. */
package dev.parley.client.examples;
