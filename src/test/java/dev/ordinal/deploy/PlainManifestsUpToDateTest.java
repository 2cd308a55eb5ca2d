package dev.ordinal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/manifests/ must equal the chart rendered with default values. Run with
 * {@code -Dordinal.regenerate=true} to rewrite the files instead of failing.
 */
class PlainManifestsUpToDateTest {
  private static final boolean REGENERATE = Boolean.getBoolean("ordinal.regenerate");

  @Test
  void plainManifestsMatchTheRenderedChart() throws IOException {
    Map<String, String> expected = PlainManifests.render();

    if (REGENERATE) {
      Files.createDirectories(PlainManifests.DIR);
      for (String stale : existingFiles()) {
        if (!expected.containsKey(stale)) {
          Files.delete(PlainManifests.DIR.resolve(stale));
        }
      }
      for (Map.Entry<String, String> file : expected.entrySet()) {
        Files.writeString(PlainManifests.DIR.resolve(file.getKey()), file.getValue());
      }
    }

    String hint = "deploy/manifests/ is stale; regenerate it with: " + PlainManifests.REGENERATE_COMMAND;
    assertThat(existingFiles()).as(hint).containsExactlyElementsOf(expected.keySet());
    for (Map.Entry<String, String> file : expected.entrySet()) {
      assertThat(Files.readString(PlainManifests.DIR.resolve(file.getKey())))
          .as("%s: %s", file.getKey(), hint)
          .isEqualTo(file.getValue());
    }
  }

  private static List<String> existingFiles() throws IOException {
    if (!Files.isDirectory(PlainManifests.DIR)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(PlainManifests.DIR)) {
      return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".yaml")).sorted().toList();
    }
  }
}
