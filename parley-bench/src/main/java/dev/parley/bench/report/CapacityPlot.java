package dev.parley.bench.report;

import dev.parley.bench.load.StepResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The capacity curves as a PNG, drawn with Java2D (headless): one row per scenario, with panels
 * for forwarded packets/s, server CPU, p99 latency and loss against N; thresholds dashed, the
 * capacity step marked.
 */
public final class CapacityPlot {
    private static final int PANEL_W = 330, PANEL_H = 230, MARGIN = 50;

    private record Panel(String title, ToDoubleFunction<StepResult> value, double threshold) {
    }

    private static final List<Panel> PANELS = List.of(
            new Panel("forwarded packets/s", StepResult::forwardedPerSecond, -1),
            new Panel("server CPU % (one core)", StepResult::serverCpuPercent, 100),
            new Panel("p99 latency (ms)", r -> r.p99Micros() / 1000.0, StepResult.MAX_P99_MICROS / 1000.0),
            new Panel("subscriber loss %", StepResult::lossPercent, StepResult.MAX_LOSS_PERCENT));

    private CapacityPlot() {
    }

    public static void write(List<ScenarioReport> scenarios, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int rows = Math.max(1, scenarios.size());
        int w = PANELS.size() * (PANEL_W + MARGIN) + MARGIN;
        int h = rows * (PANEL_H + 2 * MARGIN) + MARGIN;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        for (int row = 0; row < scenarios.size(); row++) {
            ScenarioReport s = scenarios.get(row);
            int top = MARGIN + row * (PANEL_H + 2 * MARGIN);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            String cap = s.capacity().map(c -> "capacity N = " + c.n()).orElse("no step held");
            g.drawString(s.name() + ": " + cap, MARGIN, top - 18);
            for (int p = 0; p < PANELS.size(); p++) {
                drawPanel(g, PANELS.get(p), s, MARGIN + p * (PANEL_W + MARGIN), top);
            }
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static void drawPanel(Graphics2D g, Panel panel, ScenarioReport s, int x0, int y0) {
        List<StepResult> steps = s.steps();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(panel.title(), x0, y0 - 4);
        g.setColor(new Color(245, 245, 245));
        g.fillRect(x0, y0, PANEL_W, PANEL_H);
        g.setColor(Color.GRAY);
        g.drawRect(x0, y0, PANEL_W, PANEL_H);
        if (steps.isEmpty()) {
            return;
        }
        double maxX = steps.stream().mapToInt(StepResult::n).max().orElse(1);
        double maxY = Math.max(panel.threshold() > 0 ? panel.threshold() * 1.2 : 0,
                steps.stream().mapToDouble(panel.value()).max().orElse(1));
        maxY = maxY <= 0 ? 1 : maxY * 1.05;
        g.setColor(Color.DARK_GRAY);
        g.drawString(fmt(maxY), x0 + 3, y0 + 12);
        g.drawString("0", x0 + 3, y0 + PANEL_H - 3);
        g.drawString("N", x0 - 14, y0 + PANEL_H + 14);
        if (panel.threshold() > 0) {
            int ty = y(panel.threshold(), maxY, y0);
            g.setColor(new Color(200, 60, 60));
            g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(x0, ty, x0 + PANEL_W, ty);
            g.drawString("limit " + fmt(panel.threshold()), x0 + PANEL_W - 90, ty - 3);
        }
        s.capacity().ifPresent(c -> {
            int cx = x(c.n(), maxX, x0);
            g.setColor(new Color(60, 160, 60));
            g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {3, 3}, 0));
            g.drawLine(cx, y0, cx, y0 + PANEL_H);
        });
        g.setStroke(new BasicStroke(2));
        g.setColor(new Color(30, 90, 200));
        int px = -1, py = -1;
        for (StepResult r : steps) {
            int cx = x(r.n(), maxX, x0);
            int cy = y(Math.max(0, panel.value().applyAsDouble(r)), maxY, y0);
            if (px >= 0) {
                g.drawLine(px, py, cx, cy);
            }
            g.fillOval(cx - 3, cy - 3, 6, 6);
            g.drawString(Integer.toString(r.n()), cx - 6, y0 + PANEL_H + 14);
            px = cx;
            py = cy;
        }
    }

    private static int x(double n, double maxX, int x0) {
        return x0 + (int) Math.round(n / maxX * (PANEL_W - 10));
    }

    private static int y(double v, double maxY, int y0) {
        return y0 + PANEL_H - (int) Math.round(Math.min(v, maxY) / maxY * PANEL_H);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
