package dev.portico.metricmath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parser and evaluator on hand-made series: one minute apart, timestamps 0, 60 000, ... */
class MetricMathTest {
  static final long M = 60_000;
  static final Grid GRID = new Grid(0, 5 * M, M);

  /** m1 = 10, 20, 30, 40, 50; m2 = 2, -, 5, 0, 10 (minute 1 missing); m3 = 1 at minutes 0, 4. */
  static final Map<String, TimeSeries> SERIES =
      Map.of(
          "m1", series("m1", 10, 20, 30, 40, 50),
          "m2", series("m2", 2.0, null, 5.0, 0.0, 10.0),
          "m3", series("m3", 1.0, null, null, null, 1.0));

  static TimeSeries series(String id, Double... values) {
    Map<Long, Double> points = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        points.put(i * M, values[i]);
      }
    }
    return TimeSeries.of(id, id, points);
  }

  static TimeSeries series(String id, double... values) {
    Double[] boxed = new Double[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return series(id, boxed);
  }

  /** Evaluates {@code expression} as query e1 next to m1, m2, m3. */
  static Value eval(String expression) {
    List<MathPlan.Query> queries =
        List.of(
            new MathPlan.Query("m1", null),
            new MathPlan.Query("m2", null),
            new MathPlan.Query("m3", null),
            new MathPlan.Query("e1", expression));
    List<String> problems = new ArrayList<>();
    MathPlan plan = MathPlan.of(queries, "Q", problems);
    if (plan == null) {
      throw new AssertionError(problems.toString());
    }
    return plan.evaluate(SERIES, id -> GRID).get("e1");
  }

  /** The values of a time series result by minute, null where there is no point. */
  static List<Double> minutes(Value value) {
    TimeSeries series = assertInstanceOf(Value.Series.class, value).series();
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      out.add(series.points().get(i * M));
    }
    return out;
  }

  static double scalar(String expression) {
    return assertInstanceOf(Value.Scalar.class, eval(expression)).value();
  }

  static List<Double> list(Double... values) {
    return java.util.Arrays.asList(values);
  }

  static List<String> problems(MathPlan.Query... queries) {
    List<String> problems = new ArrayList<>();
    assertNull(MathPlan.of(List.of(queries), "MetricDataQueries", problems));
    return problems;
  }

  @Test
  void shouldFollowArithmeticPrecedenceAndParentheses() {
    assertEquals(14, scalar("2 + 3 * 4"));
    assertEquals(20, scalar("(2 + 3) * 4"));
    assertEquals(1, scalar("10 - 4 - 5"), "left-associative");
    assertEquals(2.5, scalar("10 / 2 / 2"));
    assertEquals(-4, scalar("-2 ^ 2"), "^ binds tighter than unary minus");
    assertEquals(512, scalar("2 ^ 3 ^ 2"), "^ is right-associative");
    assertEquals(0.5, scalar("2 ^ -1"));
    assertEquals(-6, scalar("-(2 + 4)"));
    assertEquals(3, scalar("--3"));
    assertEquals(1500, scalar("1.5e3"));
    assertEquals(0.25, scalar(".25"));
    assertEquals(1, scalar("1 + 2 > 2 AND NOT 0"));
    assertEquals(1, scalar("0 || 3 == 3"));
  }

  @Test
  void shouldAlignSeriesOnTimestampsAndDropPointsMissingInAnOperand() {
    assertEquals(list(12.0, null, 35.0, 40.0, 60.0), minutes(eval("m1 + m2")));
    // The error-rate shape: missing where m2 (errors) is missing.
    assertEquals(list(20.0, null, 16.666666666666664, 0.0, 20.0), minutes(eval("m2/m1*100")));
    assertEquals(list(5.0, null, 6.0, null, 5.0), minutes(eval("m1 / m2")));
    assertEquals(list(11.0, null, null, null, 51.0), minutes(eval("m1 + m3")));
  }

  @Test
  void shouldBroadcastScalarsOnEveryPoint() {
    assertEquals(list(20.0, 40.0, 60.0, 80.0, 100.0), minutes(eval("m1 * 2")));
    assertEquals(list(90.0, 80.0, 70.0, 60.0, 50.0), minutes(eval("100 - m1")));
    assertEquals(list(-10.0, -20.0, -30.0, -40.0, -50.0), minutes(eval("-m1")));
    assertEquals(list(null, null, null, null, null), minutes(eval("m1 / 0")));
  }

  @Test
  void shouldReduceOneSeriesToAScalarAndAnArrayPointByPoint() {
    assertEquals(150, scalar("SUM(m1)"));
    assertEquals(30, scalar("AVG(m1)"));
    assertEquals(0, scalar("MIN(m2)"));
    assertEquals(50, scalar("MAX(m1)"));
    assertEquals(list(12.0, 20.0, 35.0, 40.0, 60.0), minutes(eval("SUM([m1, m2])")));
    assertEquals(list(6.0, 20.0, 17.5, 20.0, 30.0), minutes(eval("AVG([m1, m2])")));
    assertEquals(list(1.0, 20.0, 5.0, 0.0, 1.0), minutes(eval("MIN(METRICS())")));
    assertEquals(list(10.0, 20.0, 30.0, 40.0, 50.0), minutes(eval("MAX(METRICS('m'))")));
    assertEquals(list(2.0, null, 5.0, 0.0, 10.0), minutes(eval("SUM(METRICS('2'))")));
    assertEquals(list(24.0, 40.0, 70.0, 80.0, 120.0), minutes(eval("SUM([m1, m2] * 2)")));
    assertEquals(list(0.0, 0.0, 0.0, 0.0, 0.0), minutes(eval("m1 - AVG(m1) * m1 / 30")));
    Value abs = eval("ABS([m1 - 25, m2])");
    assertEquals(2, assertInstanceOf(Value.Array.class, abs).items().size());
    assertEquals(
        List.of(15.0, 5.0, 5.0, 15.0, 25.0),
        List.copyOf(((Value.Array) abs).items().get(0).points().values()));
  }

  @Test
  void shouldFillMissingGridPointsWithAValueTheLastValueOrALine() {
    assertEquals(list(2.0, 0.0, 5.0, 0.0, 10.0), minutes(eval("FILL(m2, 0)")));
    assertEquals(list(2.0, -1.0, 5.0, 0.0, 10.0), minutes(eval("FILL(m2, -1)")));
    assertEquals(list(1.0, 1.0, 1.0, 1.0, 1.0), minutes(eval("FILL(m3, REPEAT)")));
    assertEquals(list(1.0, 1.0, 1.0, 1.0, 1.0), minutes(eval("FILL(m3, LINEAR)")));
    assertEquals(list(2.0, 3.5, 5.0, 0.0, 10.0), minutes(eval("FILL(m2, LINEAR)")));
    assertEquals(list(12.0, 20.0, 35.0, 40.0, 60.0), minutes(eval("m1 + FILL(m2, 0)")));
    assertEquals(
        list(1.0, 10.0, 5.0, 0.0, 1.0),
        minutes(eval("MIN(FILL(METRICS(), 10))")),
        "FILL of an array fills each series");
  }

  @Test
  void shouldComputeTheRatePerSecondBetweenConsecutivePoints() {
    assertEquals(list(null, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6), minutes(eval("RATE(m1)")));
    // Between points two minutes apart the rate spans both: (5 - 2) / 120 s.
    assertEquals(list(null, null, 0.025, -1.0 / 12, 1.0 / 6), minutes(eval("RATE(m2)")));
    assertEquals(list(null, null, null, null, 0.0), minutes(eval("RATE(m3)")));
  }

  @Test
  void shouldChooseWithIf() {
    assertEquals(list(10.0, null, 30.0, 0.0, 50.0), minutes(eval("IF(m2 > 1, m1, 0)")));
    assertEquals(list(10.0, null, 30.0, null, 50.0), minutes(eval("IF(m2 > 1, m1)")));
    assertEquals(list(10.0, 20.0, 30.0, 40.0, 50.0), minutes(eval("IF(1, m1, m2)")));
  }

  @Test
  void shouldEvaluateExpressionsOnExpressionsInDependencyOrder() {
    List<String> problems = new ArrayList<>();
    MathPlan plan =
        MathPlan.of(
            List.of(
                new MathPlan.Query("rate", "errors / total * 100"),
                new MathPlan.Query("total", "SUM([m1, m2])"),
                new MathPlan.Query("errors", "FILL(m2, 0)"),
                new MathPlan.Query("m1", null),
                new MathPlan.Query("m2", null)),
            "Q",
            problems);
    assertTrue(problems.isEmpty(), problems.toString());
    assertEquals(java.util.Set.of("m1", "m2"), plan.metricsUsedBy("rate"));
    Value rate = plan.evaluate(SERIES, id -> GRID).get("rate");
    assertEquals(list(2 / 12.0 * 100, 0.0, 5 / 35.0 * 100, 0.0, 10 / 60.0 * 100), minutes(rate));
  }

  @Test
  void shouldReportSyntaxErrorsWithTheirPosition() {
    assertEquals(
        "at position 5: expected a number, an id, a function or '(', found '*'",
        assertThrows(MathException.class, () -> Parser.parse("m1 ** 2")).getMessage());
    assertEquals(
        "at position 8: expected ')' to close the '(' at position 1, found end of expression",
        assertThrows(MathException.class, () -> Parser.parse("(m1 + 2")).getMessage());
    assertEquals(
        "at position 1: unknown function 'SQRT'; supported: ABS, AVG, FILL, IF, MAX, METRICS,"
            + " MIN, RATE, SUM",
        assertThrows(MathException.class, () -> Parser.parse("SQRT(m1)")).getMessage());
    assertEquals(
        "at position 6: unexpected character '%'",
        assertThrows(MathException.class, () -> Parser.parse("m1 * %")).getMessage());
    assertEquals(
        "at position 4: unexpected 'm2' after a complete expression",
        assertThrows(MathException.class, () -> Parser.parse("m1 m2")).getMessage());
    assertEquals(
        6,
        assertThrows(MathException.class, () -> Parser.parse("m1 + Errors")).position(),
        "an id starts with a lowercase letter");
    assertEquals(
        "at position 1: the expression nests deeper than 64 levels",
        assertThrows(MathException.class, () -> Parser.parse("(".repeat(65) + "1" + ")".repeat(65)))
            .getMessage()
            .replaceFirst("position \\d+", "position 1"));
  }

  @Test
  void shouldRefuseUnknownIdsCyclesAndOverlongExpressions() {
    assertEquals(
        List.of(
            "MetricDataQueries[1].Expression: unknown id 'm9' at position 6 (no query has this Id)"),
        problems(new MathPlan.Query("m1", null), new MathPlan.Query("e1", "m1 + m9")));
    assertEquals(
        List.of(
            "MetricDataQueries: the expressions depend on each other in a cycle: e1 -> e2 -> e1"),
        problems(
            new MathPlan.Query("e1", "e2 + 1"),
            new MathPlan.Query("e2", "e1 * 2"),
            new MathPlan.Query("m1", null)));
    assertEquals(
        List.of("MetricDataQueries: the expressions depend on each other in a cycle: e1 -> e1"),
        problems(new MathPlan.Query("e1", "e1 + 1")));
    assertEquals(
        List.of("MetricDataQueries[0].Expression: must be 1-2048 characters"),
        problems(new MathPlan.Query("e1", "1+".repeat(1024) + "1")));
    assertEquals(
        List.of(
            "MetricDataQueries[0].Expression: syntax error at position 5: the expression"
                + " ends too early"),
        problems(new MathPlan.Query("e1", "1 + ")));
  }

  @Test
  void shouldRefuseFunctionsGivenTheWrongKindOfValueNamingTheQuery() {
    MathException rate = assertThrows(MathException.class, () -> eval("1 + RATE(5)"));
    assertEquals(
        "at position 5: RATE takes a time series or an array, not a scalar", rate.getMessage());
    assertEquals("e1", rate.queryId());
    assertEquals(
        "at position 11: '+' between two arrays of time series is not supported",
        assertThrows(MathException.class, () -> eval("METRICS() + [m1]")).getMessage());
    assertEquals(
        "at position 1: FILL takes 2 arguments, got 1",
        assertThrows(MathException.class, () -> eval("FILL(m1)")).getMessage());
    assertEquals(
        "at position 2: an array holds time series, not a scalar",
        assertThrows(MathException.class, () -> eval("[1, m1]")).getMessage());
    assertEquals(
        "at position 6: REPEAT is only allowed as FILL's second argument",
        assertThrows(MathException.class, () -> eval("m1 + REPEAT")).getMessage());
  }
}
