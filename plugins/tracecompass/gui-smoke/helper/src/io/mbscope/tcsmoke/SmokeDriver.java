package io.mbscope.tcsmoke;

import java.io.File;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;

/**
 * Test-only driver for the GUI smoke test (not part of the plugin): once the workbench is up and
 * the trace given with --cli --open had time to load, it shows each view of -Dmbscope.smoke.views
 * (id=name pairs, comma separated) maximized, saves the window as name.png under
 * -Dmbscope.smoke.out, prints "smoke: shot NAME", and closes the workbench.
 */
public class SmokeDriver implements IStartup {
    private static final long T0 = System.nanoTime();
    @Override
    public void earlyStartup() {
        String views = System.getProperty("mbscope.smoke.views", "");
        File out = new File(System.getProperty("mbscope.smoke.out", "/tmp"));
        long settle = Long.getLong("mbscope.smoke.settle", 25) * 1000;
        long perView = Long.getLong("mbscope.smoke.perview", 10) * 1000;
        IWorkbench wb = PlatformUI.getWorkbench();
        Display d = wb.getDisplay();
        Thread t = new Thread(() -> {
            try {
                sleep(3000);
                d.syncExec(() -> {
                    Shell s = window(wb).getShell();
                    s.setBounds(d.getPrimaryMonitor().getBounds());
                });
                sleep(settle);
                d.syncExec(() -> shoot(d, window(wb).getShell(), new File(out, "overview.png")));
                for (String pair : views.split(",")) {
                    if (pair.isBlank()) {
                        continue;
                    }
                    String[] kv = pair.split("=", 2);
                    String id = kv[0].strip();
                    String name = kv.length > 1 ? kv[1].strip() : id;
                    d.syncExec(() -> {
                        try {
                            IWorkbenchPage page = window(wb).getActivePage();
                            IViewPart v = page.showView(id);
                            page.setPartState(page.getReference(v), IWorkbenchPage.STATE_MAXIMIZED);
                            System.out.println("smoke: showed " + id);
                        } catch (Exception e) {
                            System.out.println("smoke: cannot show " + id + ": " + e);
                        }
                    });
                    sleep(perView);
                    d.syncExec(() -> shoot(d, window(wb).getShell(), new File(out, name + ".png")));
                    d.syncExec(() -> {
                        IWorkbenchPage page = window(wb).getActivePage();
                        page.setPartState(page.getActivePartReference(), IWorkbenchPage.STATE_RESTORED);
                    });
                }
            } finally {
                System.out.println("smoke: done at +" + (System.nanoTime() - T0) / 1_000_000_000 + " s");
                d.asyncExec(wb::close);
                // a graceful close waits for every analysis job; the shots are taken, so do not wait long
                sleep(15000);
                System.out.println("smoke: workbench still closing, halting");
                Runtime.getRuntime().halt(0);
            }
        }, "mbscope-smoke");
        t.setDaemon(true);
        t.start();
    }

    private static IWorkbenchWindow window(IWorkbench wb) {
        IWorkbenchWindow w = wb.getActiveWorkbenchWindow();
        return w != null ? w : wb.getWorkbenchWindows()[0];
    }

    private static void shoot(Display d, Shell shell, File file) {
        Rectangle r = shell.getBounds();
        Image img = new Image(d, r.width, r.height);
        GC gc = new GC(d);
        try {
            gc.copyArea(img, r.x, r.y);
            ImageLoader l = new ImageLoader();
            l.data = new ImageData[] {img.getImageData()};
            l.save(file.getPath(), SWT.IMAGE_PNG);
            System.out.println("smoke: shot " + file.getName() + " at +" + (System.nanoTime() - T0) / 1_000_000_000 + " s");
        } finally {
            gc.dispose();
            img.dispose();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
