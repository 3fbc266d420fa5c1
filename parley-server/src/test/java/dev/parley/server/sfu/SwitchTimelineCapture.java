package dev.parley.server.sfu;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Collects the in-process server's {@link SwitchTimeline} lines and its layer decisions
 * ({@link DownStream}'s "simulcast layer" line) with their times, so that a browser test can
 * print where the time between a limit and the receiver's switch went (issue #14).
 */
final class SwitchTimelineCapture extends AppenderBase<ILoggingEvent> {
    record Event(long atMs, String message) {
    }

    private final List<Event> events = new ArrayList<>();
    private final List<Logger> loggers = new ArrayList<>();

    /** Starts capturing (DEBUG on the timeline's logger, INFO on the decisions). */
    static SwitchTimelineCapture capture() {
        return capture(false);
    }

    /**
     * Starts capturing; {@code everyReport} adds the choice's line at each receiver report
     * (budget, layer rates, cap: DEBUG on {@link DownStream}), to see why it waits.
     */
    static SwitchTimelineCapture capture(boolean everyReport) {
        SwitchTimelineCapture c = new SwitchTimelineCapture();
        c.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
        c.start();
        c.hook(SwitchTimeline.class, Level.DEBUG);
        c.hook(DownStream.class, everyReport ? Level.DEBUG : Level.INFO);
        return c;
    }

    private void hook(Class<?> of, Level level) {
        Logger l = (Logger) LoggerFactory.getLogger(of);
        l.setLevel(level);
        l.addAppender(this);
        loggers.add(l);
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
        events.add(new Event(e.getTimeStamp(), e.getFormattedMessage()));
    }

    /** Stops capturing and restores the loggers' levels. */
    void close() {
        for (Logger l : loggers) {
            l.detachAppender(this);
            l.setLevel(null);
        }
        stop();
    }

    synchronized List<Event> since(long fromMs) {
        return events.stream().filter(e -> e.atMs() >= fromMs).toList();
    }

    /** The time of the first event from {@code fromMs} on whose message passes {@code p}, or -1. */
    synchronized long first(long fromMs, Predicate<String> p) {
        return events.stream().filter(e -> e.atMs() >= fromMs && p.test(e.message())).mapToLong(Event::atMs)
                .findFirst().orElse(-1);
    }
}
