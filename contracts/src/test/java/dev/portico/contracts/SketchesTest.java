package dev.portico.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.datadoghq.sketch.ddsketch.DDSketch;
import org.junit.jupiter.api.Test;

class SketchesTest {
  @Test
  void aSketchShouldSurviveItsDatapointFieldWithinOnePercent() {
    DDSketch sketch = Sketches.create();
    for (int i = 1; i <= 1000; i++) {
      sketch.accept(i);
    }
    DDSketch back = Sketches.fromBase64(Sketches.toBase64(sketch));
    assertEquals(1000, back.getCount());
    assertEquals(990, back.getValueAtQuantile(0.99), 990 * 0.01);
  }

  @Test
  void aFieldThatIsNoSketchShouldBeAnIllegalArgument() {
    for (String bad : new String[] {"%%%", "bm90IGEgc2tldGNo"}) {
      assertThrows(IllegalArgumentException.class, () -> Sketches.fromBase64(bad), bad);
    }
  }
}
