package io.mbscope.cli.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiemapTest {
    /** filefrag -v -b1 (e2fsprogs 1.47) output shapes: with and without the "expected" column. */
    @Test
    void parsesFilefragBytes() {
        String out = """
                Filesystem type is: ef53
                File size of /mnt/f is 2097152 (2097152 blocks of 1 bytes)
                 ext:     logical_offset:        physical_offset: length:   expected: flags:
                   0:        0..   65535:   34603008..  34668543:  65536:
                   1:    65536..  131071:   35651584..  35717119:  65536:   34668544: unwritten
                   2:   131072.. 2097151:   35717120..  37683199: 1966080:             last,unwritten,eof
                /mnt/f: 2 extents found
                """;
        List<Fiemap.Extent> e = Fiemap.parseFilefrag(out);
        assertThat(e).containsExactly(new Fiemap.Extent(0, 0, 34603008, 65536, 0),
                new Fiemap.Extent(1, 65536, 35651584, 65536, 0x800),
                new Fiemap.Extent(2, 131072, 35717120, 1966080, 0x801));
    }

    /** Rows in the corpus' fiemap.csv shape (header and lines taken from 6.18.44-4k and 7.3.4-4k). */
    @Test
    void rowsAsTheCorpus() throws Exception {
        List<String> c618 = Files.readAllLines(Corpus.folder("6.18.44-4k").resolve("fiemap.csv"));
        List<String> c73 = Files.readAllLines(Corpus.folder("7.3.4-4k").resolve("fiemap.csv"));
        assertThat(c618.get(0)).isEqualTo(Fiemap.HEADER);
        assertThat(c618).containsAll(Fiemap.csvRows("age/big", 18, List.of(new Fiemap.Extent(0, 0, 33738752,
                4194304, 0x1))));
        assertThat(c618).containsAll(Fiemap.csvRows("age/atom", 103, List.of()));
        assertThat(c618).containsAll(Fiemap.csvRows("age/g01", 100, List.of(new Fiemap.Extent(0, 0, 80400384,
                16384, 0))));
        assertThat(c73).containsAll(Fiemap.csvRows("at/a1024k", 32, List.of(new Fiemap.Extent(0, 10485760,
                182452224, 2097152, 0x800))));
        assertThat(c73).contains(Fiemap.csvRows("fa/f1", 17, List.of(new Fiemap.Extent(9, 5373952, 162660352,
                917504, Fiemap.flagBits("last,unwritten,eof")))).get(0));
    }

    @Test
    void flagNames() {
        assertThat(Fiemap.flagBits("last,unknown_loc,delalloc")).isEqualTo(0x7);
        assertThat(Fiemap.flagBits("eof")).isZero();
        assertThat(Fiemap.flagNames(0x801)).isEqualTo("LAST|UNWRITTEN");
        assertThat(Fiemap.flagNames(0x2000)).isEqualTo("SHARED");
        assertThat(Fiemap.csvRows("a,b", 1, List.of())).containsExactly("\"a,b\",1,-1,,,,,no-extents");
    }
}
