package io.mbscope.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;

/** Every chart file exists, decodes, has the declared size and is not blank. */
final class ImageChecks {
    private ImageChecks() {
    }

    static void assertChart(Path dir, Report.Chart c) throws Exception {
        Path png = dir.resolve(c.png());
        assertThat(png).exists();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as(c.png() + " decodes").isNotNull();
        assertThat(img.getWidth()).as(c.png()).isEqualTo(c.width());
        assertThat(img.getHeight()).as(c.png()).isEqualTo(c.height());
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    nonWhite++;
                }
            }
        }
        assertThat(colours.size()).as(c.png() + " distinct colours").isGreaterThan(8);
        assertThat(nonWhite).as(c.png() + " drawn pixels").isGreaterThan((long) img.getWidth() * img.getHeight() / 400);
        if (c.svg() != null) {
            assertSvg(dir.resolve(c.svg()), c.width(), c.height());
        }
    }

    static void assertSvg(Path svg, int width, int height) throws Exception {
        assertThat(svg).exists();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Element root = f.newDocumentBuilder().parse(svg.toFile()).getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getAttribute("width")).isEqualTo(Integer.toString(width));
        assertThat(root.getAttribute("height")).isEqualTo(Integer.toString(height));
        String text = Files.readString(svg);
        assertThat(text.split("<path|<rect|<line|<polyline|<text", -1).length).as(svg + " elements")
                .isGreaterThan(20);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
