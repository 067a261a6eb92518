package io.mbscope.replay.fs;

/**
 * The two checksums ext4 metadata carries: raw CRC32C as the kernel's ext4_chksum() computes it
 * (reflected Castagnoli polynomial, caller-supplied seed, no final inversion; metadata_csum) and
 * the kernel's crc16() (reflected 0x8005; the older gdt_csum / uninit_bg feature).
 */
final class Checksums {
    private static final int[] CRC32C = new int[256];
    private static final int[] CRC16 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            CRC32C[i] = c;
            int d = i;
            for (int k = 0; k < 8; k++) {
                d = (d & 1) != 0 ? (d >>> 1) ^ 0xA001 : d >>> 1;
            }
            CRC16[i] = d;
        }
    }

    private Checksums() {
    }

    static int crc32c(int crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = (crc >>> 8) ^ CRC32C[(crc ^ b[i]) & 0xff];
        }
        return crc;
    }

    static int crc16(int crc, byte[] b, int off, int len) {
        crc &= 0xffff;
        for (int i = off; i < off + len; i++) {
            crc = (crc >>> 8) ^ CRC16[(crc ^ b[i]) & 0xff];
        }
        return crc;
    }

    static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }
}
