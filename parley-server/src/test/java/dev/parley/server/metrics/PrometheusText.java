package dev.parley.server.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** The samples of a Prometheus text exposition, by series ({@code name{labels}}), for assertions. */
record PrometheusText(String text, Map<String, Double> samples) {

    static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new PrometheusText(text, samples);
    }

    /** The value of a series; fails when it is missing. */
    double value(String series) {
        Double v = samples.get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in:\n" + text);
        }
        return v;
    }

    boolean hasFamily(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }
}
