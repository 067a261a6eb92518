package io.mbscope.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens index.html in headless Chromium (Debian package {@code chromium}) and checks that every
 * image decodes at its declared size, every SVG loads, and every link resolves to a file of the
 * report or an anchor of the page. A harness page reads the report through an iframe because the
 * report itself carries no script.
 */
class HtmlBrowserTest {
    @TempDir
    Path tmp;

    static Path chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    static final String HARNESS = """
            <!DOCTYPE html><html><body><iframe id="f" src="%s" onload="check()"></iframe><pre id="out">PENDING</pre>
            <script>
            function check() {
              const d = document.getElementById('f').contentDocument;
              const r = [];
              for (const i of d.images) {
                r.push((i.complete && i.naturalWidth > 0 ? 'IMG-OK ' : 'IMG-BROKEN ') + i.naturalWidth + 'x'
                    + i.naturalHeight + ' ' + i.getAttribute('src'));
              }
              const svgs = [];
              for (const a of d.querySelectorAll('a[href]')) {
                const h = a.getAttribute('href');
                r.push('LINK ' + h);
                if (h.endsWith('.svg')) svgs.push(h);
              }
              let pending = svgs.length;
              const out = document.getElementById('out');
              const finish = () => { if (pending === 0) out.textContent = r.join('\\n') + '\\nDONE'; };
              for (const s of svgs) {
                const img = new Image();
                img.onload = () => { r.push('SVG-OK ' + img.naturalWidth + 'x' + img.naturalHeight + ' ' + s); pending--; finish(); };
                img.onerror = () => { r.push('SVG-BROKEN ' + s); pending--; finish(); };
                img.src = new URL(s, d.baseURI).href;
              }
              finish();
            }
            </script></body></html>
            """;

    static List<String> openInChromium(Path browser, Path index, Path work) throws Exception {
        Path harness = work.resolve("harness.html");
        Files.writeString(harness, String.format(HARNESS, index.toUri()), StandardCharsets.UTF_8);
        List<String> cmd = List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--allow-file-access-from-files", "--virtual-time-budget=5000",
                "--user-data-dir=" + work.resolve("profile"), "--dump-dom", harness.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(work.resolve("chromium.log").toFile()).start();
        byte[] dom = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        String text = new String(dom, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<pre id=\"out\">(.*?)</pre>", Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as("harness output in:\n" + text).isTrue();
        return List.of(m.group(1).split("\n"));
    }

    static void assertResolves(Path browser, Path dir, Report.Result res, Path work) throws Exception {
        List<String> lines = openInChromium(browser, dir.resolve(Report.INDEX), work);
        assertThat(lines).as("harness finished").contains("DONE");
        String html = Files.readString(dir.resolve(Report.INDEX));
        List<String> imgs = new ArrayList<>();
        for (String l : lines) {
            assertThat(l).doesNotStartWith("IMG-BROKEN").doesNotStartWith("SVG-BROKEN");
            if (l.startsWith("IMG-OK ")) {
                imgs.add(l);
            } else if (l.startsWith("LINK ")) {
                String href = l.substring(5);
                assertThat(href).doesNotContain("://").doesNotStartWith("//");
                if (href.startsWith("#")) {
                    assertThat(html).as("anchor " + href).contains("id=\"" + href.substring(1) + "\"");
                } else {
                    assertThat(dir.resolve(href)).as("link " + href).isRegularFile();
                }
            }
        }
        assertThat(imgs).hasSize(res.charts().size());
        for (Report.Chart c : res.charts()) {
            assertThat(lines).contains("IMG-OK " + c.width() + "x" + c.height() + " " + c.png());
            assertThat(lines).contains("SVG-OK " + c.width() + "x" + c.height() + " " + c.svg());
        }
        for (Report.Table t : res.tables()) {
            assertThat(lines).contains("LINK " + t.file());
        }
    }

    @Test
    void everyImageAndLinkResolvesInChromium() throws Exception {
        Path browser = chromium();
        assumeTrue(browser != null, "chromium not installed (apt-get install -y chromium): browser test skipped");
        Path dir = tmp.resolve("report");
        TraceData a = Synthetic.collect("run <1> & \"quoted\"", Synthetic.events(500, 11), Synthetic.fs());
        TraceData b = Synthetic.collect("run 2", Synthetic.events(300, 12), Synthetic.fs());
        Report.Result res = Report.write(List.of(a, b), dir, ReportOptions.defaults());
        assertResolves(browser, dir, res, tmp);
    }

    @Test
    void corpusReportResolvesInChromium() throws Exception {
        Path browser = chromium();
        assumeTrue(browser != null, "chromium not installed (apt-get install -y chromium): browser test skipped");
        Path a = Corpus.dir("6.18.44-1k");
        Path b = Corpus.dir("7.3.4-bigalloc64k");
        Corpus.assumeReadable(a.resolve("trace.dat"));
        List<TraceData> traces = new ArrayList<>();
        for (ReportInputs.Input in : ReportInputs.resolve(List.of(a, b), List.of())) {
            traces.add(ReportInputs.load(in, FsSpaces::fromImage, null));
        }
        Path dir = tmp.resolve("corpus");
        Report.Result res = Report.write(traces, dir, ReportOptions.defaults());
        // two traces with fs images: whole-fs free space plus orders and group heat map per trace
        assertThat(res.charts()).extracting(Report.Chart::png).contains("free-space.png",
                "free-space-orders-1-6.18.44-1k.png", "free-space-groups-2-7.3.4-bigalloc64k.png");
        assertResolves(browser, dir, res, tmp);
    }
}
