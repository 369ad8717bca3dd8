package dev.atrium.console.ui;

import java.util.List;
import java.util.Locale;

/**
 * A bar chart drawn on the server as SVG: no chart library in the browser, no frontend build, crisp at any size
 * and readable in screenshots. Labels are escaped; values are non-negative.
 */
public final class SvgBarChart {

    public record Bar(String label, double value) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 260;
    private static final int LEFT = 64;
    private static final int BOTTOM = 36;
    private static final int TOP = 16;

    private SvgBarChart() {
    }

    public static String render(List<Bar> bars, String valueName) {
        double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
        double scaleMax = niceCeiling(max);
        int plotWidth = WIDTH - LEFT - 16;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("' role='img' aria-label='").append(escape(valueName)).append(" per day'>");
        for (int i = 0; i <= 4; i++) {
            double value = scaleMax * i / 4;
            double y = TOP + plotHeight - plotHeight * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<line class='grid' x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke-dasharray='3 3'/>",
                    LEFT, WIDTH - 16, y, y));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end' dominant-baseline='middle'>%s</text>",
                    LEFT - 8, y, compact(value)));
        }
        if (!bars.isEmpty()) {
            double slot = (double) plotWidth / bars.size();
            double barWidth = Math.max(2, slot * 0.7);
            int labelEvery = Math.max(1, (int) Math.ceil(bars.size() / 10.0));
            for (int i = 0; i < bars.size(); i++) {
                Bar bar = bars.get(i);
                double height = scaleMax == 0 ? 0 : plotHeight * bar.value() / scaleMax;
                double x = LEFT + slot * i + (slot - barWidth) / 2;
                svg.append(String.format(Locale.ROOT, "<rect class='bar' x='%.1f' y='%.1f' width='%.1f' height='%.1f' rx='2'>"
                                + "<title>%s: %s %s</title></rect>",
                        x, TOP + plotHeight - height, barWidth, height, escape(bar.label()), compact(bar.value()), escape(valueName)));
                if (i % labelEvery == 0) {
                    svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>",
                            x + barWidth / 2, HEIGHT - 12, escape(bar.label())));
                }
            }
        }
        svg.append(String.format(Locale.ROOT, "<line class='axis' x1='%d' x2='%d' y1='%d' y2='%d'/>",
                LEFT, WIDTH - 16, TOP + plotHeight, TOP + plotHeight));
        return svg.append("</svg>").toString();
    }

    static double niceCeiling(double max) {
        if (max <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String compact(double value) {
        if (value >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", value / 1_000_000);
        }
        if (value >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", value / 1_000);
        }
        if (value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace("\"", "&quot;");
    }
}
