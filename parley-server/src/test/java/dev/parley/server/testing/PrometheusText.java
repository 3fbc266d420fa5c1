package dev.parley.server.testing;

import dev.parley.server.metrics.ServerMetrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The samples of a Prometheus text exposition, by series ({@code name{labels}}), for assertions. */
public record PrometheusText(String text, Map<String, Double> samples) {

    /** Scrapes the server's {@code -metrics-http} listener. */
    public static PrometheusText scrape(TestServer server) throws IOException, InterruptedException {
        var address = server.server().metricsAddress();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + address.getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(ServerMetrics.CONTENT_TYPE);
            return parse(r.body());
        }
    }

    public static PrometheusText parse(String text) {
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
    public double value(String series) {
        Double v = samples.get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in:\n" + text);
        }
        return v;
    }

    public boolean hasFamily(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }
}
