package dev.parley.server.estimator;

/** What the delay trend says about the path to a receiver (draft-ietf-rmcat-gcc-02 §5.4). */
public enum BandwidthUsage {
    NORMAL, OVERUSING, UNDERUSING
}
