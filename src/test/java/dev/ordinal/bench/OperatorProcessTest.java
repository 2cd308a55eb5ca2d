package dev.ordinal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link OperatorProcess} reads from {@code jcmd GC.heap_info} (JDK 25's formats, copied from a run). */
class OperatorProcessTest {
  @Test
  void g1ReportsOneLineForTheWholeHeap() {
    assertThat(OperatorProcess.heapUsed("""
        11688:
        garbage-first heap   total reserved 65536K, committed 65536K, used 12382K [0x00000000fc000000, 0x0000000100000000)
         region size 1024K, 10 young (10240K), 2 survivors (2048K)
         Metaspace       used 61234K, committed 61952K, reserved 1114112K
        """)).isEqualTo(12382L * 1024);
  }

  @Test
  void serialGcGenerationsAreSummedAndTheirSpacesNotCountedTwice() {
    assertThat(OperatorProcess.heapUsed("""
        11653:
        DefNew     total 19648K, used 7710K [0x00000000fc000000, 0x00000000fd550000, 0x00000000fd550000)
         eden space 17472K,  31% used [0x00000000fc000000, 0x00000000fc5678b8, 0x00000000fd110000)
         from space 2176K, 100% used [0x00000000fd330000, 0x00000000fd550000, 0x00000000fd550000)
        Tenured    total 43712K, used 2362K [0x00000000fd550000, 0x0000000100000000, 0x0000000100000000)
         the  space 43712K,   5% used [0x00000000fd550000, 0x00000000fd79ebe8, 0x0000000100000000)
        """)).isEqualTo((7710L + 2362L) * 1024);
  }
}
