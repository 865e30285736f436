package org.entente.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the shared, read-only benchmark data that lives outside the project (never copied in). */
final class SharedData {
  static final String PROPERTY = "entente.sharedData";
  static final String ATTACK_BUNDLE = "mitre-attack/enterprise-attack-18.1.json.gz";

  private SharedData() {}

  /**
   * The shared data folder: the system property {@code entente.sharedData} if set, else {@code
   * ../shared/data} next to the project root. The root is searched upwards from the working
   * directory and from the benchmarks jar, so both `java -jar bench/target/benchmarks.jar` and
   * JMH's forked JVMs (which inherit the working directory) find it.
   */
  static Path dir() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    return projectRoot()
        .orElse(Path.of("").toAbsolutePath())
        .resolve("../shared/data")
        .toAbsolutePath()
        .normalize();
  }

  /** The ATT&CK enterprise bundle, when present. */
  static Optional<Path> attackBundle() {
    Path p = dir().resolve(ATTACK_BUNDLE);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /** The project root, searched from the working directory, then from the benchmarks jar. */
  static Optional<Path> projectRoot() {
    return projectRoot(Path.of("").toAbsolutePath())
        .or(() -> codeLocation().flatMap(SharedData::projectRoot));
  }

  /** The multi-module root: the nearest ancestor holding both pom.xml and bench/pom.xml. */
  private static Optional<Path> projectRoot(Path start) {
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml"))
          && Files.isRegularFile(p.resolve("bench/pom.xml"))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> codeLocation() {
    try {
      var source = SharedData.class.getProtectionDomain().getCodeSource();
      return source == null
          ? Optional.empty()
          : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
