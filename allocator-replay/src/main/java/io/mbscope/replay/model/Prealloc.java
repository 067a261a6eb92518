package io.mbscope.replay.model;

/**
 * One preallocation (struct ext4_prealloc_space). Physical/logical starts are blocks; len and
 * free are clusters, as in the kernel.
 */
public final class Prealloc {

    /** MB_INODE_PA or MB_GROUP_PA. */
    public enum Type { INODE, GROUP }

    final Type type;
    final long ino;
    final int cpu;       // locality group (group PAs)
    long pstart;
    long lstart;
    int len;
    int free;
    boolean deleted;
    final long seq;      // creation order (6.1 walks inode PAs newest first)

    Prealloc(Type type, long ino, int cpu, long pstart, long lstart, int len, int free, long seq) {
        this.type = type;
        this.ino = ino;
        this.cpu = cpu;
        this.pstart = pstart;
        this.lstart = lstart;
        this.len = len;
        this.free = free;
        this.seq = seq;
    }

    public Type type() {
        return type;
    }

    public long ino() {
        return ino;
    }

    public int cpu() {
        return cpu;
    }

    public long pstart() {
        return pstart;
    }

    public long lstart() {
        return lstart;
    }

    public int len() {
        return len;
    }

    public int free() {
        return free;
    }

    @Override
    public String toString() {
        return (type == Type.INODE ? "inode PA ino " + ino : "group PA cpu " + cpu) + " p" + pstart + " l" + lstart
                + " len " + len + " free " + free;
    }
}
