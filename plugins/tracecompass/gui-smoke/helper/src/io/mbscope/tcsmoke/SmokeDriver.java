package io.mbscope.tcsmoke;

import java.io.File;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
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
 * -Dmbscope.smoke.out, prints "smoke: shot NAME", and closes the workbench. A name ending in
 * "+select" shows a table view in its place instead, clicks its first row (a real SWT selection
 * event, as a mouse click sends) and waits, so the shot shows the other views following it.
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
                    String label = kv.length > 1 ? kv[1].strip() : id;
                    boolean select = label.endsWith("+select");
                    String name = select ? label.substring(0, label.length() - "+select".length()) : label;
                    IViewPart[] shown = new IViewPart[1];
                    d.syncExec(() -> {
                        try {
                            IWorkbenchPage page = window(wb).getActivePage();
                            shown[0] = page.showView(id);
                            if (!select) {
                                page.setPartState(page.getReference(shown[0]), IWorkbenchPage.STATE_MAXIMIZED);
                            }
                            System.out.println("smoke: showed " + id);
                        } catch (Exception e) {
                            System.out.println("smoke: cannot show " + id + ": " + e);
                        }
                    });
                    sleep(perView);
                    if (select && shown[0] != null) {
                        d.syncExec(() -> clickFirstRow(shown[0]));
                        sleep(perView);
                    }
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

    /** The segment store table's first row, clicked; reflection keeps this driver free of TC jars. */
    private static void clickFirstRow(IViewPart v) {
        try {
            Object viewer = v.getClass().getMethod("getSegmentStoreViewer").invoke(v);
            Object tv = viewer.getClass().getMethod("getTableViewer").invoke(viewer);
            Table table = (Table) tv.getClass().getMethod("getTable").invoke(tv);
            if (table.getItemCount() == 0) {
                System.out.println("smoke: cannot select: table of " + v.getTitle() + " is empty");
                return;
            }
            table.setSelection(0);
            Event e = new Event();
            e.item = table.getItem(0);
            table.notifyListeners(SWT.Selection, e);
            System.out.println("smoke: selected row 0 of " + table.getItemCount() + " in " + v.getTitle() + ": "
                    + e.item.getData());
        } catch (ReflectiveOperationException | RuntimeException x) {
            System.out.println("smoke: cannot select in " + v.getTitle() + ": " + x);
        }
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
