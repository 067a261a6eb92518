package io.mbscope.report;

import java.awt.Dimension;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.w3c.dom.Document;

/**
 * Writes a chart as PNG (JFreeChart's encoder) and as SVG through Apache Batik's SVGGraphics2D
 * (Apache-2.0), drawing into a DOM from the JDK's own XML parser. JFreeSVG would have been simpler
 * but is GPL-3.0, which the distributed fat jar cannot carry.
 */
public final class ChartFiles {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE[^>]*>\\s*");

    private ChartFiles() {
    }

    public static void writePng(JFreeChart chart, Path file, int width, int height) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        }
    }

    public static void writeSvg(JFreeChart chart, Path file, int width, int height) throws IOException {
        Document doc;
        try {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().getDOMImplementation()
                    .createDocument(SVG_NS, "svg", null);
        } catch (ParserConfigurationException e) {
            throw new IOException("no XML DOM implementation for SVG output", e);
        }
        SVGGeneratorContext ctx = SVGGeneratorContext.createDefault(doc);
        ctx.setComment("mbscope chart");
        ctx.setEmbeddedFontsOn(false);
        SVGGraphics2D g2 = new SVGGraphics2D(ctx, false);
        g2.setSVGCanvasSize(new Dimension(width, height));
        chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
        StringWriter sw = new StringWriter(1 << 16);
        g2.stream(sw, true);
        g2.dispose();
        // Batik declares the SVG 1.0 DTD by URL; XML tools would fetch it, browsers ignore it: drop it
        String text = DOCTYPE.matcher(sw.toString()).replaceFirst("");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(text);
        }
    }
}
