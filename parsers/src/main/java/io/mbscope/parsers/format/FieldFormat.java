package io.mbscope.parsers.format;

/**
 * One field of a tracepoint as its format file declares it. Decoders use the declared offset and
 * size, never a packed layout: PREEMPT_RT and other configs add common fields and shift the rest.
 *
 * @param type        the C declaration without the name, e.g. "unsigned int", "char[16]", "__data_loc char[]"
 * @param name        field name (array suffix removed)
 * @param offset      byte offset from the start of the event payload (common fields included)
 * @param size        byte size of the field (of the 4-byte descriptor for __data_loc)
 * @param signed      whether the integer is signed
 * @param dataLoc     true for {@code __data_loc} (dynamic array: u32 = (length << 16) | offset)
 * @param arrayLength element count of a fixed array, 0 for a flexible {@code []} array, -1 if not an array
 */
public record FieldFormat(String type, String name, int offset, int size, boolean signed, boolean dataLoc,
                          int arrayLength) {

    public boolean isArray() {
        return arrayLength >= 0 || dataLoc;
    }

    /** char arrays and __data_loc char[] are strings; everything else is a number or a byte array. */
    public boolean isString() {
        return isArray() && (type.startsWith("char") || type.startsWith("__data_loc char")
                || type.startsWith("const char") || type.startsWith("unsigned char"))
                && !type.contains("*");
    }

    public boolean isCommon() {
        return name.startsWith("common_");
    }
}
