package io.hearth.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The ids of the built-in profiles: the files of {@code config/profiles} (tests run in {@code fuzz/}). */
final class Profiles {
  static final List<String> BUILT_IN = load(Path.of("../config/profiles"));

  private Profiles() {}

  private static List<String> load(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> ids = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
      if (ids.isEmpty()) {
        throw new IllegalStateException("no profiles in " + dir.toAbsolutePath());
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException("the built-in profiles are read from " + dir.toAbsolutePath(), e);
    }
  }
}
