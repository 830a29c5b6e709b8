package dev.portico.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerClassArchiveTest {
  @TempDir Path dir;

  Path jar() throws IOException {
    Path jar = dir.resolve("portico.jar");
    if (!Files.exists(jar)) {
      Files.write(jar, new byte[] {1, 2, 3});
    }
    return jar;
  }

  BrokerClassArchive archiveFor(Path jar) {
    return BrokerClassArchive.forClassPath(jar.toString(), "17.0.15+6").orElseThrow();
  }

  @Test
  void theFirstBrokerRecordsItsClassesAndTheNextMapsThem() throws IOException {
    BrokerClassArchive first = archiveFor(jar());
    String option = first.jvmOptions().get(0);
    assertTrue(option.startsWith("-XX:ArchiveClassesAtExit="), option);
    Path recording = Path.of(option.substring(option.indexOf('=') + 1));
    assertEquals(dir, recording.getParent(), "beside the jar");
    assertNotEquals(first.archive(), recording, "recorded to a file of its own");

    Files.writeString(recording, "classes"); // what the JVM writes when it exits cleanly
    first.afterExit(true);

    assertFalse(Files.exists(recording));
    assertEquals("classes", Files.readString(first.archive()));
    assertTrue(first.archive().getFileName().toString().matches("portico-broker-[0-9a-f]+\\.jsa"));
    assertEquals(
        List.of("-XX:SharedArchiveFile=" + first.archive()), archiveFor(jar()).jvmOptions());
  }

  @Test
  void theBrokerRunsFromTheJarsRealPathWhichTheArchiveIsRecordedWith() throws IOException {
    Path real = jar().toRealPath();
    Path relative = Path.of("").toAbsolutePath().relativize(jar());
    Path link = Files.createSymbolicLink(dir.resolve("link.jar"), jar());
    for (Path sameJar : List.of(jar(), relative, link)) {
      assertEquals(real.toString(), archiveFor(sameJar).classPath(), sameJar.toString());
      assertEquals(archiveFor(real).archive(), archiveFor(sameJar).archive(), sameJar.toString());
    }
  }

  @Test
  void aBrokerThatWroteNothingLeavesNoArchive() throws IOException {
    BrokerClassArchive killed = archiveFor(jar());
    killed.afterExit(true); // killed with -9: the JVM wrote nothing

    assertFalse(Files.exists(killed.archive()));
    assertTrue(archiveFor(jar()).jvmOptions().get(0).startsWith("-XX:ArchiveClassesAtExit="));
  }

  @Test
  void aBrokerStoppedBeforeItAnsweredLeavesNoArchiveAndNoRecording() throws IOException {
    BrokerClassArchive stopped = archiveFor(jar());
    String option = stopped.jvmOptions().get(0);
    Path recording = Path.of(option.substring(option.indexOf('=') + 1));
    Files.writeString(recording, "the classes of half a start-up");
    stopped.afterExit(false);

    assertFalse(Files.exists(recording));
    assertFalse(Files.exists(stopped.archive()));
    assertTrue(archiveFor(jar()).jvmOptions().get(0).startsWith("-XX:ArchiveClassesAtExit="));
  }

  @Test
  void aRebuiltJarGetsANewArchiveAndTheOldOneGoes() throws IOException {
    BrokerClassArchive old = archiveFor(jar());
    Files.writeString(old.archive(), "old classes");

    Files.setLastModifiedTime(jar(), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    BrokerClassArchive rebuilt = archiveFor(jar());
    assertNotEquals(old.archive(), rebuilt.archive());
    String option = rebuilt.jvmOptions().get(0);
    Files.writeString(Path.of(option.substring(option.indexOf('=') + 1)), "new classes");
    rebuilt.afterExit(true);

    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of(rebuilt.archive().getFileName().toString(), "portico.jar"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void anotherJvmGetsAnArchiveOfItsOwn() throws IOException {
    assertNotEquals(
        archiveFor(jar()).archive(),
        BrokerClassArchive.forClassPath(jar().toString(), "25.0.1+8").orElseThrow().archive());
  }

  @Test
  void withoutASingleWritableJarTheBrokerRunsAsBefore() throws IOException {
    // Tests run from class directories, which class-data sharing cannot archive.
    assertTrue(BrokerClassArchive.forClassPath(dir.toString(), "17").isEmpty());
    assertTrue(
        BrokerClassArchive.forClassPath(jar() + File.pathSeparator + dir.resolve("b.jar"), "17")
            .isEmpty());
    assertTrue(
        BrokerClassArchive.forClassPath(dir.resolve("missing.jar").toString(), "17").isEmpty());
    assertTrue(BrokerClassArchive.forClassPath("", "17").isEmpty());
    Path readOnly = Files.createDirectory(dir.resolve("read-only"));
    Path jar = Files.write(readOnly.resolve("portico.jar"), new byte[] {1});
    assertTrue(readOnly.toFile().setWritable(false));
    try {
      // root may write anywhere: then the directory is writable after all
      assertEquals(
          Files.isWritable(readOnly),
          BrokerClassArchive.forClassPath(jar.toString(), "17").isPresent());
    } finally {
      readOnly.toFile().setWritable(true);
    }
  }
}
