package dev.portico.table.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.table.value.AttributeValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The parser and evaluator against a reference model: random conditions over random items are
 * rendered as text (names bare or as #placeholders, every constant a :placeholder, parentheses only
 * where DynamoDB's precedence needs them, plus a few redundant ones), parsed and evaluated; the
 * answer must equal the model's, which evaluates the same tree directly on a map of Java longs,
 * strings and booleans with DynamoDB's rules written out plainly.
 */
class ConditionModelTest {
  static final String[] NAMES = {"a", "b", "c"};
  static final int MAX_DEPTH = 5;

  /** Builds the expression text and its ExpressionAttributeNames/Values. */
  static final class Renderer {
    final Map<String, String> names = new HashMap<>();
    final Map<String, AttributeValue> values = new HashMap<>();
    final Random random;
    boolean placeholders;

    Renderer(long seed) {
      random = new Random(seed);
    }

    /** Sometimes true: redundant parentheses must not change the meaning. */
    boolean chance() {
      return random.nextInt(5) == 0;
    }

    String name(String attr) {
      placeholders = !placeholders;
      if (!placeholders) {
        return attr;
      }
      names.put("#" + attr, attr);
      return "#" + attr;
    }

    String value(Object literal) {
      String key = ":v" + values.size();
      values.put(key, typed(literal));
      return key;
    }
  }

  sealed interface Model
      permits Cmp, Between, In, Exists, Type, Starts, Contains, SizeCmp, And, Or, Not {
    String text(Renderer r);

    boolean eval(Map<String, Object> item);

    /** How tightly the rendered text binds: OR 1, AND 2, NOT 3, everything else 4. */
    default int precedence() {
      return 4;
    }

    /** The text, in parentheses only when the parser's precedence needs them (or by chance). */
    default String text(Renderer r, int atLeast) {
      boolean parens = precedence() < atLeast || r.chance();
      return parens ? "(" + text(r) + ")" : text(r);
    }
  }

  record Cmp(String attr, String op, Object literal) implements Model {
    public String text(Renderer r) {
      return r.name(attr) + " " + op + " " + r.value(literal);
    }

    public boolean eval(Map<String, Object> item) {
      return compare(item.get(attr), op, literal);
    }
  }

  record Between(String attr, Object low, Object high) implements Model {
    public String text(Renderer r) {
      return r.name(attr) + " BETWEEN " + r.value(low) + " AND " + r.value(high);
    }

    public boolean eval(Map<String, Object> item) {
      return compare(item.get(attr), ">=", low) && compare(item.get(attr), "<=", high);
    }
  }

  record In(String attr, List<Object> candidates) implements Model {
    public String text(Renderer r) {
      StringBuilder text = new StringBuilder(r.name(attr)).append(" IN (");
      for (int i = 0; i < candidates.size(); i++) {
        text.append(i == 0 ? "" : ", ").append(r.value(candidates.get(i)));
      }
      return text.append(")").toString();
    }

    public boolean eval(Map<String, Object> item) {
      return item.get(attr) != null && candidates.contains(item.get(attr));
    }
  }

  record Exists(String attr, boolean expected) implements Model {
    public String text(Renderer r) {
      return (expected ? "attribute_exists(" : "attribute_not_exists(") + r.name(attr) + ")";
    }

    public boolean eval(Map<String, Object> item) {
      return item.containsKey(attr) == expected;
    }
  }

  record Type(String attr, String type) implements Model {
    public String text(Renderer r) {
      return "attribute_type(" + r.name(attr) + ", " + r.value(type) + ")";
    }

    public boolean eval(Map<String, Object> item) {
      Object v = item.get(attr);
      return v != null && type.equals(typeOf(v));
    }
  }

  record Starts(String attr, String prefix) implements Model {
    public String text(Renderer r) {
      return "begins_with(" + r.name(attr) + ", " + r.value(prefix) + ")";
    }

    public boolean eval(Map<String, Object> item) {
      return item.get(attr) instanceof String s && s.startsWith(prefix);
    }
  }

  record Contains(String attr, String part) implements Model {
    public String text(Renderer r) {
      return "contains(" + r.name(attr) + ", " + r.value(part) + ")";
    }

    public boolean eval(Map<String, Object> item) {
      return item.get(attr) instanceof String s && s.contains(part);
    }
  }

  record SizeCmp(String attr, String op, long size) implements Model {
    public String text(Renderer r) {
      return "size(" + r.name(attr) + ") " + op + " " + r.value(size);
    }

    public boolean eval(Map<String, Object> item) {
      // only strings (ASCII here: one byte a character) have a size among the model's types
      Object v = item.get(attr);
      return compare(v instanceof String s ? (long) s.length() : null, op, size);
    }
  }

  record And(Model left, Model right) implements Model {
    public int precedence() {
      return 2;
    }

    public String text(Renderer r) {
      return left.text(r, 2) + " AND " + right.text(r, 3);
    }

    public boolean eval(Map<String, Object> item) {
      return left.eval(item) && right.eval(item);
    }
  }

  record Or(Model left, Model right) implements Model {
    public int precedence() {
      return 1;
    }

    public String text(Renderer r) {
      return left.text(r, 1) + " OR " + right.text(r, 2);
    }

    public boolean eval(Map<String, Object> item) {
      return left.eval(item) || right.eval(item);
    }
  }

  record Not(Model inner) implements Model {
    public int precedence() {
      return 3;
    }

    public String text(Renderer r) {
      return "NOT " + inner.text(r, 3);
    }

    public boolean eval(Map<String, Object> item) {
      return !inner.eval(item);
    }
  }

  /** DynamoDB's comparison rules, plainly: missing or mixed types are unequal and unordered. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static boolean compare(Object v, String op, Object literal) {
    boolean comparable = v != null && v.getClass() == literal.getClass();
    if (op.equals("=")) {
      return comparable && v.equals(literal);
    }
    if (op.equals("<>")) {
      return !(comparable && v.equals(literal));
    }
    if (!comparable || v instanceof Boolean) {
      return false;
    }
    int c = ((Comparable) v).compareTo(literal);
    return switch (op) {
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      default -> c >= 0;
    };
  }

  static String typeOf(Object v) {
    return v instanceof Long ? "N" : v instanceof String ? "S" : "BOOL";
  }

  static AttributeValue typed(Object v) {
    if (v instanceof Long n) {
      return AttributeValue.n(n);
    }
    if (v instanceof String s) {
      return AttributeValue.s(s);
    }
    return AttributeValue.Bool.of((Boolean) v);
  }

  @Property(tries = 3000)
  void parsedConditionsAgreeWithTheModel(
      @ForAll("conditions") Model model,
      @ForAll("items") Map<String, Object> item,
      @ForAll long seed) {
    assertTrue(depth(model) <= MAX_DEPTH, "generated deeper than " + MAX_DEPTH + ": " + model);
    Renderer renderer = new Renderer(seed);
    String text = model.text(renderer);
    ExpressionAttributes attributes =
        ExpressionAttributes.of(
            renderer.names.isEmpty() ? null : renderer.names,
            renderer.values.isEmpty() ? null : renderer.values);
    Condition condition = ConditionParser.parse(text, attributes);
    attributes.requireAllUsed();

    Map<String, AttributeValue> typedItem = new HashMap<>();
    item.forEach((name, value) -> typedItem.put(name, typed(value)));
    assertEquals(model.eval(item), condition.test(typedItem), text + " on " + item);
  }

  /** Levels of AND, OR and NOT above the leaves. */
  static int depth(Model model) {
    if (model instanceof And and) {
      return 1 + Math.max(depth(and.left()), depth(and.right()));
    }
    if (model instanceof Or or) {
      return 1 + Math.max(depth(or.left()), depth(or.right()));
    }
    return model instanceof Not not ? 1 + depth(not.inner()) : 0;
  }

  @Provide
  Arbitrary<Map<String, Object>> items() {
    Arbitrary<Object> value =
        Arbitraries.<Object>oneOf(longs(), strings(), Arbitraries.of(true, false));
    return Arbitraries.maps(Arbitraries.of(NAMES), value).ofMaxSize(3);
  }

  /**
   * Trees of at most {@link #MAX_DEPTH} levels (32 leaves, well under 2 KB of text): DynamoDB
   * refuses a condition over 4 KB, and unbounded trees reached that now and then (4,107 bytes).
   * {@code Arbitraries.recursive} bounds the depth; a depth argument threaded through {@code
   * lazyOf} suppliers did not (a failing sample of 4,263 bytes was over ten levels deep).
   */
  @Provide
  Arbitrary<Model> conditions() {
    return Arbitraries.recursive(this::leaf, this::oneLevelUp, 0, MAX_DEPTH);
  }

  /** A leaf, or one AND, OR or NOT over trees of {@code below}. */
  Arbitrary<Model> oneLevelUp(Arbitrary<Model> below) {
    return Arbitraries.frequencyOf(
        Tuple.of(3, leaf()),
        Tuple.of(1, Combinators.combine(below, below).as(And::new)),
        Tuple.of(1, Combinators.combine(below, below).as(Or::new)),
        Tuple.of(1, below.map(Not::new)));
  }

  Arbitrary<Model> leaf() {
    Arbitrary<String> attr = Arbitraries.of(NAMES);
    Arbitrary<String> op = Arbitraries.of("=", "<>", "<", "<=", ">", ">=");
    Arbitrary<Object> ordered = Arbitraries.<Object>oneOf(longs(), strings());
    Arbitrary<Model> cmp = Combinators.combine(attr, op, ordered).as(Cmp::new);
    Arbitrary<Model> eqBool =
        Combinators.combine(attr, Arbitraries.of("=", "<>"), Arbitraries.of(true, false))
            .as(Cmp::new);
    Arbitrary<Model> betweenNumbers =
        Combinators.combine(attr, longs(), longs())
            .as((a, x, y) -> new Between(a, Math.min(x, y), Math.max(x, y)));
    Arbitrary<Model> betweenStrings =
        Combinators.combine(attr, strings(), strings())
            .as((a, x, y) -> x.compareTo(y) <= 0 ? new Between(a, x, y) : new Between(a, y, x));
    Arbitrary<Model> in =
        Combinators.combine(
                attr,
                Arbitraries.<Object>oneOf(longs(), strings(), Arbitraries.of(true))
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(3))
            .as(In::new);
    Arbitrary<Model> exists =
        Combinators.combine(attr, Arbitraries.of(true, false)).as(Exists::new);
    Arbitrary<Model> type =
        Combinators.combine(attr, Arbitraries.of("S", "N", "BOOL", "M")).as(Type::new);
    Arbitrary<Model> starts = Combinators.combine(attr, strings()).as(Starts::new);
    Arbitrary<Model> contains = Combinators.combine(attr, strings()).as(Contains::new);
    Arbitrary<Model> size =
        Combinators.combine(attr, op, Arbitraries.longs().between(0, 3)).as(SizeCmp::new);
    return Arbitraries.oneOf(
        cmp, eqBool, betweenNumbers, betweenStrings, in, exists, type, starts, contains, size);
  }

  static Arbitrary<Long> longs() {
    return Arbitraries.longs().between(-3, 3);
  }

  static Arbitrary<String> strings() {
    return Arbitraries.of("", "a", "ab", "b", "ba");
  }
}
