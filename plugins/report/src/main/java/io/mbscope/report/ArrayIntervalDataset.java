package io.mbscope.report;

import java.util.ArrayList;
import java.util.List;
import org.jfree.data.xy.AbstractIntervalXYDataset;

/**
 * A read-only interval dataset over primitive arrays: the allocation map has hundreds of
 * thousands of items and JFreeChart's series classes keep an object per item.
 */
final class ArrayIntervalDataset extends AbstractIntervalXYDataset {
    private static final long serialVersionUID = 1L;

    private final List<String> keys = new ArrayList<>();
    private final List<double[]> xs = new ArrayList<>();
    private final List<double[]> lows = new ArrayList<>();
    private final List<double[]> highs = new ArrayList<>();

    void addSeries(String key, double[] x, double[] yLow, double[] yHigh) {
        keys.add(key);
        xs.add(x);
        lows.add(yLow);
        highs.add(yHigh);
    }

    @Override
    public int getSeriesCount() {
        return keys.size();
    }

    @Override
    public Comparable<?> getSeriesKey(int series) {
        return keys.get(series);
    }

    @Override
    public int getItemCount(int series) {
        return xs.get(series).length;
    }

    @Override
    public Number getX(int series, int item) {
        return xs.get(series)[item];
    }

    @Override
    public double getXValue(int series, int item) {
        return xs.get(series)[item];
    }

    @Override
    public Number getY(int series, int item) {
        return lows.get(series)[item];
    }

    @Override
    public double getYValue(int series, int item) {
        return lows.get(series)[item];
    }

    @Override
    public Number getStartX(int series, int item) {
        return getX(series, item);
    }

    @Override
    public Number getEndX(int series, int item) {
        return getX(series, item);
    }

    @Override
    public Number getStartY(int series, int item) {
        return lows.get(series)[item];
    }

    @Override
    public Number getEndY(int series, int item) {
        return highs.get(series)[item];
    }

    @Override
    public double getStartYValue(int series, int item) {
        return lows.get(series)[item];
    }

    @Override
    public double getEndYValue(int series, int item) {
        return highs.get(series)[item];
    }
}
