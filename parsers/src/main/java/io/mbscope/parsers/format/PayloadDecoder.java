package io.mbscope.parsers.format;

import io.mbscope.parsers.TraceFormatException;
import io.mbscope.parsers.event.EventHeader;
import io.mbscope.parsers.event.RawEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a binary tracepoint payload (the record that starts with common_type) into a
 * {@link RawEvent}, field by field at the offsets and sizes the format file declares. Used by the
 * trace.dat and perf.data readers alike; the buffer's byte order must be the file's.
 */
public final class PayloadDecoder {
    private PayloadDecoder() {
    }

    /**
     * @param buf    buffer holding the payload, with the file's byte order set
     * @param start  absolute index of the payload's first byte in {@code buf}
     * @param length payload length in bytes
     * @param file   file name for errors
     * @param fileOffset byte offset of the payload in the file, for errors
     */
    public static RawEvent decode(EventFormat format, EventHeader header, ByteBuffer buf, int start, int length,
                                  String file, long fileOffset) throws TraceFormatException {
        Plan plan = format.plan;
        if (plan == null) {
            plan = new Plan(format.fields());
            format.plan = plan;
        }
        var fields = format.fields();
        int n = fields.size();
        long[] nums = new long[n];
        if (plan.scalarEnd >= 0 && length >= plan.scalarEnd) {
            // Every field is a 1/2/4/8-byte integer inside the record (all ext4 allocator events): read
            // them straight into the unboxed store, no per-field object.
            int[] off = plan.offset;
            byte[] kind = plan.kind;
            for (int i = 0; i < n; i++) {
                int at = start + off[i];
                long v;
                switch (kind[i]) {
                    case U8 -> v = buf.get(at) & 0xffL;
                    case S8 -> v = buf.get(at);
                    case U16 -> v = buf.getShort(at) & 0xffffL;
                    case S16 -> v = buf.getShort(at);
                    case U32 -> v = buf.getInt(at) & 0xffffffffL;
                    case S32 -> v = buf.getInt(at);
                    default -> v = buf.getLong(at);
                }
                nums[i] = v;
            }
            return RawEvent.ofLongs(format, header, nums);
        }
        boolean[] string = plan.string;
        Object[] others = new Object[n];
        boolean[] absent = null;
        for (int i = 0; i < n; i++) {
            FieldFormat f = fields.get(i);
            if (f.dataLoc()) {
                if (f.offset() + 4 > length) {
                    throw truncated(format, f, file, fileOffset, length);
                }
                int desc = buf.getInt(start + f.offset());
                int off = desc & 0xffff;
                int len = (desc >>> 16) & 0xffff;
                if (f.type().startsWith("__data_loc") && f.size() == 4 && isRel(f)) {
                    off += f.offset() + 4;
                }
                if (off + len > length || off < 0) {
                    throw TraceFormatException.expected(file, fileOffset + f.offset(),
                            format.name() + "." + f.name(),
                            "__data_loc within the " + length + "-byte record", "offset " + off + " length " + len);
                }
                others[i] = string[i] ? readString(buf, start + off, len) : readArray(buf, start + off, len, 1, false);
            } else if (f.arrayLength() == 0 && f.offset() <= length) {
                // A flexible array (ftrace print's "char buf[]", size 0) runs to the end of the record.
                int len = length - f.offset();
                others[i] = string[i] ? readString(buf, start + f.offset(), len)
                        : readArray(buf, start + f.offset(), len, 1, false);
            } else if (f.offset() + f.size() > length) {
                // Older kernels' records can be shorter than a newer format claims: a field past the end is absent.
                if (absent == null) {
                    absent = new boolean[n];
                }
                absent[i] = true;
            } else if (f.arrayLength() >= 0) {
                if (string[i]) {
                    others[i] = readString(buf, start + f.offset(), f.size());
                } else {
                    int k = f.arrayLength() > 0 ? f.arrayLength() : 1;
                    int elem = Math.max(1, f.size() / k);
                    others[i] = readArray(buf, start + f.offset(), f.size(), elem, f.signed());
                }
            } else {
                nums[i] = readInt(buf, start + f.offset(), f.size(), f.signed());
            }
        }
        return RawEvent.of(format, header, nums, others, absent);
    }

    private static final byte U8 = 0, S8 = 1, U16 = 2, S16 = 3, U32 = 4, S32 = 5, X64 = 6;

    /**
     * What decode needs per field, computed once per format instead of per event (FieldFormat.isString()
     * scans the type string). scalarEnd is the record length that holds every field when all fields
     * are plain 1/2/4/8-byte integers, else -1.
     */
    static final class Plan {
        final boolean[] string;
        final byte[] kind;
        final int[] offset;
        final int scalarEnd;

        Plan(java.util.List<FieldFormat> fields) {
            int n = fields.size();
            string = new boolean[n];
            kind = new byte[n];
            offset = new int[n];
            int end = 0;
            for (int i = 0; i < n; i++) {
                FieldFormat f = fields.get(i);
                string[i] = f.isString();
                offset[i] = f.offset();
                boolean scalar = !f.dataLoc() && f.arrayLength() < 0 && f.offset() >= 0;
                switch (f.size()) {
                    case 1 -> kind[i] = f.signed() ? S8 : U8;
                    case 2 -> kind[i] = f.signed() ? S16 : U16;
                    case 4 -> kind[i] = f.signed() ? S32 : U32;
                    case 8 -> kind[i] = X64;
                    default -> scalar = false;
                }
                end = !scalar || end < 0 ? -1 : Math.max(end, f.offset() + f.size());
            }
            scalarEnd = end;
        }
    }

    private static boolean isRel(FieldFormat f) {
        return false; // __rel_loc offsets are relative to the field's end; kept as __data_loc here (none in ext4)
    }

    public static long readInt(ByteBuffer buf, int at, int size, boolean signed) {
        switch (size) {
            case 1:
                return signed ? buf.get(at) : buf.get(at) & 0xffL;
            case 2:
                return signed ? buf.getShort(at) : buf.getShort(at) & 0xffffL;
            case 4:
                return signed ? buf.getInt(at) : buf.getInt(at) & 0xffffffffL;
            case 8:
                return buf.getLong(at);
            default:
                long v = 0;
                for (int k = 0; k < Math.min(size, 8); k++) {
                    int idx = buf.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? k : size - 1 - k;
                    v |= (buf.get(at + idx) & 0xffL) << (8 * k);
                }
                return v;
        }
    }

    private static String readString(ByteBuffer buf, int at, int len) {
        int end = at;
        while (end < at + len && buf.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - at];
        for (int k = 0; k < b.length; k++) {
            b[k] = buf.get(at + k);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private static long[] readArray(ByteBuffer buf, int at, int len, int elem, boolean signed) {
        int n = elem <= 0 ? 0 : len / elem;
        long[] a = new long[n];
        for (int k = 0; k < n; k++) {
            a[k] = readInt(buf, at + k * elem, elem, signed);
        }
        return a;
    }

    private static TraceFormatException truncated(EventFormat format, FieldFormat f, String file, long fileOffset,
                                                  int length) {
        return TraceFormatException.expected(file, fileOffset, format.name() + "." + f.name(),
                "field at offset " + f.offset() + " inside the record", length + "-byte record");
    }
}
