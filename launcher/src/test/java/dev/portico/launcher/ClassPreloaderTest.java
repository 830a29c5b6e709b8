package dev.portico.launcher;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

class ClassPreloaderTest {
  /** The preloader swallows a missing class, so a renamed one would silently stop being loaded. */
  @Test
  void everyClassItPreloadsShouldExist() {
    ClassLoader loader = ClassPreloader.class.getClassLoader();
    for (String name : ClassPreloader.CLASSES) {
      assertDoesNotThrow(() -> Class.forName(name, false, loader), name);
    }
  }
}
