package dev.portico.kafka.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * A class-data-sharing archive of the broker JVM's classes (JDK's dynamic AppCDS): the broker child
 * maps Kafka's already parsed and verified classes from it instead of loading them from the jar,
 * which cuts about a quarter of its start-up CPU (measured: 9.7 -> 7.1 s of CPU, 6.0 -> 4.2 s to
 * started, one broker alone on the suite's data) and so the suite's start and restart on a small
 * machine.
 *
 * <p>The archive sits beside the jar the broker runs from ({@code portico-broker-<key>.jsa} next to
 * {@code portico.jar}), so every data directory shares it, and it is exactly as trusted as the jar.
 * Its key is the jar's path, size and modification time and the JVM's version: a rebuilt jar or
 * another JVM gets a new archive, never a mismatched one. The first broker that finds none records
 * its classes and writes them when it exits cleanly (to a file of its own, renamed into place after
 * the exit, so two launchers never write the same file); a broker killed with -9 writes nothing and
 * the next start tries again. Without a single jar on the class path (tests run from class
 * directories, which CDS cannot archive) or without write access to the jar's directory, the broker
 * runs as before.
 */
final class BrokerClassArchive {
  private static final String PREFIX = "-broker-";
  private static final String SUFFIX = ".jsa";

  private final Path jar;
  private final Path archive;
  private final Path recording;

  private BrokerClassArchive(Path jar, Path archive, Path recording) {
    this.jar = jar;
    this.archive = archive;
    this.recording = recording;
  }

  /** The archive for the broker JVM started with {@code classPath}, if one can be used. */
  static Optional<BrokerClassArchive> forClassPath(String classPath, String jvmVersion) {
    if (classPath == null
        || classPath.contains(File.pathSeparator)
        || !classPath.endsWith(".jar")
        || !Files.isRegularFile(Path.of(classPath))) {
      return Optional.empty();
    }
    try {
      // One jar, one archive, however it is reached (relative path, symbolic link).
      Path jar = Path.of(classPath).toRealPath();
      Path dir = jar.getParent();
      if (dir == null || !Files.isWritable(dir)) {
        return Optional.empty();
      }
      String key =
          Integer.toHexString(
              List.of(
                      jar.toString(),
                      Files.size(jar),
                      Files.getLastModifiedTime(jar).toMillis(),
                      jvmVersion)
                  .hashCode());
      Path archive = dir.resolve(baseName(jar) + PREFIX + key + SUFFIX);
      Path recording =
          dir.resolve(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      return Optional.of(new BrokerClassArchive(jar, archive, recording));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The class path to start the broker with: the jar's real path. The JVM maps an archive only for
   * the class path it was recorded with, as written ({@code launcher/target/portico.jar} and {@code
   * /work/launcher/target/portico.jar} do not match), and the launcher may have been started either
   * way.
   */
  String classPath() {
    return jar.toString();
  }

  /** Maps the archive when it exists; otherwise records this run's classes for the next. */
  List<String> jvmOptions() {
    return Files.isRegularFile(archive)
        ? List.of("-XX:SharedArchiveFile=" + archive)
        : List.of("-XX:ArchiveClassesAtExit=" + recording);
  }

  /**
   * After the broker exited: what it recorded becomes the archive, and archives of other jars or
   * JVMs go. A broker stopped before it ever answered recorded only part of its start-up: that
   * recording is dropped and the next start records again. Best effort: without an archive the next
   * broker records again.
   *
   * @param answered whether the broker answered before it exited
   */
  void afterExit(boolean answered) {
    if (!Files.isRegularFile(recording)) {
      return;
    }
    try {
      if (!answered) {
        Files.deleteIfExists(recording);
        return;
      }
      Files.move(
          recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      removeOthers();
    } catch (IOException e) {
      try {
        Files.deleteIfExists(recording);
      } catch (IOException ignored) {
        // a leftover recording is harmless: the next run writes its own
      }
    }
  }

  Path archive() {
    return archive;
  }

  private void removeOthers() throws IOException {
    String jar = archive.getFileName().toString();
    String glob = jar.substring(0, jar.indexOf(PREFIX) + PREFIX.length()) + "*" + SUFFIX;
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(archive.getParent(), glob)) {
      for (Path other : stale) {
        if (!other.equals(archive)) {
          Files.deleteIfExists(other);
        }
      }
    }
  }

  private static String baseName(Path jar) {
    String name = jar.getFileName().toString();
    return name.substring(0, name.length() - ".jar".length());
  }
}
