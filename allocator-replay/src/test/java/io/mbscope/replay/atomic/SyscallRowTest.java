package io.mbscope.replay.atomic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** syscalls.csv in both schemas the capture scripts write (lines copied from 7.3.4-4k and bench-1m). */
class SyscallRowTest {

    @Test
    void ext4wlSchemaWithCommasInTheNote() {
        List<SyscallRow> rows = SyscallRow.parse(List.of(
                "seq,phase,op,file,fd,offset,length,flags,ret,errno,errname,t_start_ns,t_end_ns,note",
                "63,atomic,open,at/a4k,8,0,0,O_RDWR|O_CREAT|O_DIRECT,8,0,,15108384422,15108594699,",
                "65,atomic,pwritev2,at/a4k,8,16384,4096,RWF_ATOMIC;niov=1,4096,0,,15109536087,15109810881,"
                        + "atomic 4K: aligned, beyond EOF (hole before)",
                "74,atomic,pwritev2,at/a4k,8,81920,4096,RWF_ATOMIC;niov=2,-1,22,EINVAL,15111778345,15111792807,"
                        + "atomic 4K: 2 iovecs"), "t");
        assertThat(rows).hasSize(3);
        SyscallRow r = rows.get(1);
        assertThat(r.note()).isEqualTo("atomic 4K: aligned, beyond EOF (hole before)");
        assertThat(r.isAtomicWrite()).isTrue();
        assertThat(r.niov()).isEqualTo(1);
        assertThat(r.result()).isEqualTo(Errno.SUCCESS);
        assertThat(r.openOf(rows)).isEqualTo(rows.get(0));
        assertThat(r.toAtomicWrite(rows, true)).isEqualTo(new AtomicWrite(16384, 4096, 1, 0x40, true, true));
        assertThat(rows.get(2).result()).isEqualTo(Errno.EINVAL);
        assertThat(rows.get(2).toAtomicWrite(rows, true).segments()).isEqualTo(2);
    }

    @Test
    void benchSchemaWithoutFdAndNote() {
        List<SyscallRow> rows = SyscallRow.parse(List.of(
                "seq,phase,op,file,offset,length,flags,ret,errno,t_start_ns,t_end_ns",
                "2,populate,pwrite,d097/f000000,0,4065,buffered-small,4065,0,1274148164530,1274148181432"), "t");
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.fd()).isEqualTo(-1);
            assertThat(r.length()).isEqualTo(4065);
            assertThat(r.tEndNs()).isEqualTo(1274148181432L);
            assertThat(r.note()).isEmpty();
            assertThat(r.isAtomicWrite()).isFalse();
        });
    }

    @Test
    void badInputNamesTheLine() {
        assertThatThrownBy(() -> SyscallRow.parse(List.of("seq,phase,op", "1,a,b"), "x.csv"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.csv:1");
        assertThatThrownBy(() -> SyscallRow.parse(List.of(
                "seq,phase,op,file,fd,offset,length,flags,ret,errno,errname,t_start_ns,t_end_ns,note",
                "1,a,open,f,x,0,0,,0,0,,1,2,"), "x.csv"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.csv:2");
    }
}
