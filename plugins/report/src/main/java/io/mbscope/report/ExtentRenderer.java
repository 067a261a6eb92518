package io.mbscope.report;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.AbstractXYItemRenderer;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.data.Range;
import org.jfree.data.general.DatasetUtils;
import org.jfree.data.xy.IntervalXYDataset;
import org.jfree.data.xy.XYDataset;

/**
 * Draws each item of an {@link IntervalXYDataset} as a small bar from start-y to end-y at x: one
 * physical extent at the time it was allocated. Bars are at least {@code minPixels} tall and wide
 * so a one-block extent on a large file system stays visible.
 */
final class ExtentRenderer extends AbstractXYItemRenderer {
    private static final long serialVersionUID = 1L;
    private final double minPixels;

    ExtentRenderer(double minPixels) {
        this.minPixels = minPixels;
    }

    @Override
    public Range findRangeBounds(XYDataset dataset) {
        return dataset == null ? null : DatasetUtils.findRangeBounds(dataset, true);
    }

    @Override
    public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D dataArea, PlotRenderingInfo info,
                         XYPlot plot, ValueAxis domainAxis, ValueAxis rangeAxis, XYDataset dataset, int series,
                         int item, CrosshairState crosshairState, int pass) {
        if (!getItemVisible(series, item) || !(dataset instanceof IntervalXYDataset d)) {
            return;
        }
        double x = domainAxis.valueToJava2D(d.getXValue(series, item), dataArea, plot.getDomainAxisEdge());
        double y0 = rangeAxis.valueToJava2D(d.getStartYValue(series, item), dataArea, plot.getRangeAxisEdge());
        double y1 = rangeAxis.valueToJava2D(d.getEndYValue(series, item), dataArea, plot.getRangeAxisEdge());
        double top = Math.min(y0, y1);
        double h = Math.abs(y1 - y0);
        if (h < minPixels) {
            top -= (minPixels - h) / 2;
            h = minPixels;
        }
        if (Double.isNaN(x) || Double.isNaN(top)) {
            return;
        }
        g2.setPaint(getItemPaint(series, item));
        g2.fill(new Rectangle2D.Double(x - minPixels / 2, top, minPixels, h));
    }
}
