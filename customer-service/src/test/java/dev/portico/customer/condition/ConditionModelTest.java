package dev.portico.customer.condition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.contracts.Json;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The parser and evaluator against a reference model: random conditions over random items are
 * rendered as text, parsed, and evaluated; the answer must equal the model's, which evaluates the
 * same tree directly on a map of longs and strings.
 */
class ConditionModelTest {
  static final String[] NAMES = {"a", "b", "c", "name"};

  /** The model: a condition tree that renders itself as text and evaluates on a map. */
  sealed interface Model permits Cmp, Exists, Starts, And, Or, Not {
    String text();

    boolean eval(Map<String, Object> item);
  }

  record Cmp(String attr, String op, Object literal) implements Model {
    public String text() {
      return attr + " " + op + " " + render(literal);
    }

    public boolean eval(Map<String, Object> item) {
      Object v = item.get(attr);
      if (v == null || v.getClass() != literal.getClass()) {
        return op.equals("<>");
      }
      @SuppressWarnings({"unchecked", "rawtypes"})
      int c = ((Comparable) v).compareTo(literal);
      return switch (op) {
        case "=" -> c == 0;
        case "<>" -> c != 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        default -> c >= 0;
      };
    }
  }

  record Exists(String attr, boolean expected) implements Model {
    public String text() {
      return (expected ? "attribute_exists(" : "attribute_not_exists(") + attr + ")";
    }

    public boolean eval(Map<String, Object> item) {
      return item.containsKey(attr) == expected;
    }
  }

  record Starts(String attr, String prefix) implements Model {
    public String text() {
      return "begins_with(" + attr + ", " + render(prefix) + ")";
    }

    public boolean eval(Map<String, Object> item) {
      return item.get(attr) instanceof String s && s.startsWith(prefix);
    }
  }

  record And(Model left, Model right) implements Model {
    public String text() {
      return "(" + left.text() + ") AND (" + right.text() + ")";
    }

    public boolean eval(Map<String, Object> item) {
      return left.eval(item) && right.eval(item);
    }
  }

  record Or(Model left, Model right) implements Model {
    public String text() {
      return "(" + left.text() + ") or (" + right.text() + ")";
    }

    public boolean eval(Map<String, Object> item) {
      return left.eval(item) || right.eval(item);
    }
  }

  record Not(Model inner) implements Model {
    public String text() {
      return "NOT (" + inner.text() + ")";
    }

    public boolean eval(Map<String, Object> item) {
      return !inner.eval(item);
    }
  }

  static String render(Object literal) {
    return literal instanceof String s
        ? "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"
        : literal.toString();
  }

  @Property(tries = 2000)
  boolean parsedConditionsAgreeWithTheModel(
      @ForAll("conditions") Model condition, @ForAll("items") Map<String, Object> item) {
    ObjectNode json = Json.MAPPER.valueToTree(item);
    return ConditionParser.parse(condition.text()).test(json) == condition.eval(item);
  }

  @Provide
  Arbitrary<Map<String, Object>> items() {
    Arbitrary<Object> value =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-5, 5).map(v -> (Object) v),
            Arbitraries.strings().withChars("ab'\\ ").ofMaxLength(3).map(v -> (Object) v));
    return Arbitraries.maps(Arbitraries.of(NAMES), value).ofMaxSize(4).map(TreeMap::new);
  }

  @Provide
  Arbitrary<Model> conditions() {
    return Arbitraries.lazyOf(
        this::comparison,
        this::comparison,
        () ->
            Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of(true, false)).as(Exists::new),
        () ->
            Combinators.combine(
                    Arbitraries.of(NAMES), Arbitraries.strings().withChars("ab'").ofMaxLength(2))
                .as(Starts::new),
        () -> Combinators.combine(conditions(), conditions()).as(And::new),
        () -> Combinators.combine(conditions(), conditions()).as(Or::new),
        () -> conditions().map(Not::new));
  }

  private Arbitrary<Model> comparison() {
    Arbitrary<Object> literal =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-5, 5).map(v -> (Object) v),
            Arbitraries.strings().withChars("ab'\\ ").ofMaxLength(3).map(v -> (Object) v));
    return Combinators.combine(
            Arbitraries.of(NAMES), Arbitraries.of("=", "<>", "<", "<=", ">", ">="), literal)
        .as(Cmp::new);
  }
}
