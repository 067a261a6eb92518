package io.mbscope.parsers.tracedat;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.UnsupportedFormatException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the kernel laid out its ring-buffer sub-buffers ("pages"), as the trace's own
 * {@code events/header_page} and {@code events/header_event} files describe it
 * (kernel/trace/ring_buffer.c: {@code struct buffer_data_page} and {@code struct ring_buffer_event}).
 *
 * @param timestampOffset offset of the page's u64 base timestamp
 * @param commitOffset    offset of the {@code local_t commit} word (bytes used, plus missed-event flags)
 * @param commitSize      4 or 8: the kernel's long size, which is not the user-space long size in the file header
 * @param dataOffset      offset of the first event in the page
 * @param typeLenBits     width of type_len in the 32-bit event header (5 since 2.6.31)
 * @param paddingType     type_len of padding / discarded events (29)
 * @param timeExtendType  type_len of a time extend (30)
 * @param timeStampType   type_len of an absolute time stamp (31)
 * @param maxDataType     largest type_len that encodes a data length in 4-byte words (28)
 */
public record PageLayout(int timestampOffset, int commitOffset, int commitSize, int dataOffset, int typeLenBits,
                         int paddingType, int timeExtendType, int timeStampType, int maxDataType) {

    private static final Pattern FIELD = Pattern.compile(
            "field:\\s*([^;]*?)\\s+(\\w+)\\s*;\\s*offset:\\s*(\\d+)\\s*;\\s*size:\\s*(\\d+)\\s*;");
    private static final Pattern BITS = Pattern.compile("(\\w+)\\s*:\\s*(\\d+)\\s*bits");
    private static final Pattern TYPE = Pattern.compile("(\\w+)\\s*:\\s*type\\s*==\\s*(\\d+)");
    private static final Pattern MAX = Pattern.compile("data max type_len\\s*==\\s*(\\d+)");

    /**
     * @param headerPage  text of header_page
     * @param headerEvent text of header_event
     * @param longSize    user-space long size from the file header, used only if header_page lacks commit
     */
    public static PageLayout parse(String headerPage, String headerEvent, int longSize, String file, long offset)
            throws TraceFormatException {
        int ts = -1;
        int commit = -1;
        int commitSize = longSize;
        int data = -1;
        Matcher m = FIELD.matcher(headerPage);
        while (m.find()) {
            int off = Integer.parseInt(m.group(3));
            int size = Integer.parseInt(m.group(4));
            switch (m.group(2)) {
                case "timestamp" -> ts = off;
                case "commit" -> {
                    commit = off;
                    commitSize = size;
                }
                case "data" -> data = off;
                default -> {
                    // "overwrite" aliases the commit word; nothing else is read
                }
            }
        }
        if (ts < 0 || commit < 0 || data < 0) {
            throw TraceFormatException.expected(file, offset, "header_page",
                    "timestamp, commit and data fields", abbreviate(headerPage));
        }
        if (commitSize != 4 && commitSize != 8) {
            throw TraceFormatException.expected(file, offset, "header_page", "commit of 4 or 8 bytes",
                    commitSize + " bytes");
        }
        if (ts + 8 > data || commit + commitSize > data) {
            throw TraceFormatException.expected(file, offset, "header_page",
                    "timestamp and commit before data at " + data, "timestamp at " + ts + ", commit at " + commit);
        }
        int typeLen = -1;
        int delta = -1;
        int array = -1;
        m = BITS.matcher(headerEvent);
        while (m.find()) {
            switch (m.group(1)) {
                case "type_len" -> typeLen = Integer.parseInt(m.group(2));
                case "time_delta" -> delta = Integer.parseInt(m.group(2));
                case "array" -> array = Integer.parseInt(m.group(2));
                default -> {
                }
            }
        }
        int padding = 29;
        int extend = 30;
        int stamp = 31;
        int max = 28;
        m = TYPE.matcher(headerEvent);
        while (m.find()) {
            int v = Integer.parseInt(m.group(2));
            switch (m.group(1)) {
                case "padding" -> padding = v;
                case "time_extend" -> extend = v;
                case "time_stamp" -> stamp = v;
                default -> {
                }
            }
        }
        m = MAX.matcher(headerEvent);
        if (m.find()) {
            max = Integer.parseInt(m.group(1));
        }
        // Kernels before 2.6.31 used a 2-bit type and a different length encoding; no trace-cmd
        // version that writes v6/v7 records such kernels in practice, so refuse rather than guess.
        if (typeLen != 5 || delta != 27 || (array != -1 && array != 32)) {
            throw new UnsupportedFormatException(file, offset, "header_event",
                    "ring-buffer event header type_len:" + typeLen + " time_delta:" + delta
                            + " bits (only the 5/27-bit layout of Linux 2.6.31+ is supported)");
        }
        if (max < 1 || max >= padding || padding > 31 || extend > 31 || stamp > 31) {
            throw TraceFormatException.expected(file, offset, "header_event",
                    "type_len values data 1.." + max + " below padding/extend/stamp <= 31",
                    "padding " + padding + ", time_extend " + extend + ", time_stamp " + stamp);
        }
        return new PageLayout(ts, commit, commitSize, data, typeLen, padding, extend, stamp, max);
    }

    private static String abbreviate(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "'" + t.replace("\n", "\\n").replace("\t", " ") + "'";
    }
}
