package dev.parley.rtc.transport;

/**
 * Receives a packet handed from one {@link MediaLoop} to another ({@link MediaLoop#handOff}). Called
 * on the receiving loop; the buffer belongs to the hand-off queue and is only valid during the call
 * (it may be modified in place, e.g. decrypted).
 */
@FunctionalInterface
public interface HandoffTarget {
    /**
     * @param ref what the sender attached (e.g. a snapshot of the receivers to serve), may be null
     * @param arg a number the sender attached (e.g. flags and a timestamp)
     */
    void onHandoff(Object ref, byte[] buf, int off, int len, long arg);
}
