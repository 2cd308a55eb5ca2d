package dev.ordinal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart ships the generated CRD unchanged: crds/ is the one source. */
class ChartCrdsTest {
  @Test
  void chartCrdsFolderIsAnExactCopyOfCrds() throws IOException {
    assertThat(Files.mismatch(Chart.CRD, Chart.CHART_CRD))
        .as(
            "%s differs from %s; copy it: cp crds/ordinalsets.ordinal.dev-v1.yml deploy/helm/ordinal-operator/crds/",
            Chart.PROJECT_DIR.relativize(Chart.CHART_CRD), Chart.PROJECT_DIR.relativize(Chart.CRD))
        .isEqualTo(-1L);
    try (Stream<java.nio.file.Path> files = Files.list(Chart.CHART_CRD.getParent())) {
      assertThat(files.map(path -> path.getFileName().toString()))
          .containsExactly(Chart.CRD.getFileName().toString());
    }
  }
}
