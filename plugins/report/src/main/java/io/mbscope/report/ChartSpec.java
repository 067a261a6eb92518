package io.mbscope.report;

import org.jfree.chart.JFreeChart;

/**
 * A chart ready to write: {@code name} is the file name without extension, {@code howToRead} the
 * one line the HTML page shows under it.
 */
record ChartSpec(String name, String title, String howToRead, JFreeChart chart, int width, int height) {
}
