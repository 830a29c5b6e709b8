package dev.portico.table.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portico.table.value.AttributeValue;
import dev.portico.table.value.InvalidValueException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The update parser and evaluator against a reference model: random updates of random items are
 * rendered as text (clauses in random order and case, names bare or as #placeholders, every
 * constant a :placeholder), parsed and applied; the result must equal the model's, which applies
 * the same actions to a map of Java longs, strings, sets and lists with DynamoDB's rules written
 * out plainly; where the model fails, the update must fail with one of the model's messages.
 */
class UpdateModelTest {
  static final String MISSING =
      "The provided expression refers to an attribute that does not exist in the item";
  static final String TYPE = "An operand in the update expression has an incorrect data type";
  static final String PATH =
      "The document path provided in the update expression is invalid for update";

  /** Attributes the actions write (a, b, c) or read (also l, the list, and m, always missing). */
  static final String[] TARGETS = {"a", "b", "c"};

  static final String[] SOURCES = {"a", "b", "c", "l", "m"};

  /** Builds the expression text and its ExpressionAttributeNames/Values. */
  static final class Renderer {
    final Map<String, String> names = new HashMap<>();
    final Map<String, AttributeValue> values = new HashMap<>();
    final Random random;

    Renderer(long seed) {
      random = new Random(seed);
    }

    String name(String attr) {
      if (random.nextBoolean()) {
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

    String keyword(String word) {
      return random.nextBoolean() ? word : word.toLowerCase();
    }
  }

  /** What the model's actions see and produce. */
  static final class State {
    final Map<String, Object> before;
    final Map<String, Object> after;
    final Set<String> errors = new LinkedHashSet<>();
    final Map<Integer, Long> listSets = new LinkedHashMap<>();
    final Set<Integer> listRemoves = new HashSet<>();

    State(Map<String, Object> item) {
      before = item;
      after = new HashMap<>(item);
    }
  }

  sealed interface Action
      permits SetConst,
          SetPlus,
          SetIfNotExists,
          SetAppend,
          SetIndex,
          Remove,
          RemoveIndex,
          AddNumber,
          AddSet,
          DeleteSet {
    /** The clause it belongs to: SET, REMOVE, ADD or DELETE. */
    String clause();

    /** What the action writes: a top-level name, or l[i]. */
    String target();

    String text(Renderer r);

    void apply(State s);
  }

  record SetConst(String target, Object literal) implements Action {
    public String clause() {
      return "SET";
    }

    public String text(Renderer r) {
      return r.name(target) + " = " + r.value(literal);
    }

    public void apply(State s) {
      s.after.put(target, literal);
    }
  }

  record SetPlus(String target, String source, long n, boolean plus) implements Action {
    public String clause() {
      return "SET";
    }

    public String text(Renderer r) {
      return r.name(target) + " = " + r.name(source) + (plus ? " + " : " - ") + r.value(n);
    }

    public void apply(State s) {
      Object v = s.before.get(source);
      if (v == null) {
        s.errors.add(MISSING);
      } else if (!(v instanceof Long x)) {
        s.errors.add(TYPE);
      } else {
        s.after.put(target, plus ? x + n : x - n);
      }
    }
  }

  record SetIfNotExists(String target, String source, Object literal) implements Action {
    public String clause() {
      return "SET";
    }

    public String text(Renderer r) {
      return r.name(target) + " = if_not_exists(" + r.name(source) + ", " + r.value(literal) + ")";
    }

    public void apply(State s) {
      s.after.put(target, s.before.getOrDefault(source, literal));
    }
  }

  record SetAppend(String target, String source, List<Long> tail) implements Action {
    public String clause() {
      return "SET";
    }

    public String text(Renderer r) {
      return r.name(target) + " = list_append(" + r.name(source) + ", " + r.value(tail) + ")";
    }

    public void apply(State s) {
      Object v = s.before.get(source);
      if (v == null) {
        s.errors.add(MISSING);
      } else if (!(v instanceof List<?> list)) {
        s.errors.add(TYPE);
      } else {
        List<Object> both = new ArrayList<>(list);
        both.addAll(tail);
        s.after.put(target, both);
      }
    }
  }

  record SetIndex(int index, long literal) implements Action {
    public String clause() {
      return "SET";
    }

    public String target() {
      return "l[" + index + "]";
    }

    public String text(Renderer r) {
      return r.name("l") + "[" + index + "] = " + r.value(literal);
    }

    public void apply(State s) {
      s.listSets.put(index, literal);
    }
  }

  record Remove(String target) implements Action {
    public String clause() {
      return "REMOVE";
    }

    public String text(Renderer r) {
      return r.name(target);
    }

    public void apply(State s) {
      s.after.remove(target);
    }
  }

  record RemoveIndex(int index) implements Action {
    public String clause() {
      return "REMOVE";
    }

    public String target() {
      return "l[" + index + "]";
    }

    public String text(Renderer r) {
      return r.name("l") + "[" + index + "]";
    }

    public void apply(State s) {
      s.listRemoves.add(index);
    }
  }

  record AddNumber(String target, long n) implements Action {
    public String clause() {
      return "ADD";
    }

    public String text(Renderer r) {
      return r.name(target) + " " + r.value(n);
    }

    public void apply(State s) {
      Object v = s.before.get(target);
      if (v == null) {
        s.after.put(target, n);
      } else if (v instanceof Long x) {
        s.after.put(target, x + n);
      } else {
        s.errors.add(TYPE);
      }
    }
  }

  record AddSet(String target, Set<String> members) implements Action {
    public String clause() {
      return "ADD";
    }

    public String text(Renderer r) {
      return r.name(target) + " " + r.value(members);
    }

    public void apply(State s) {
      Object v = s.before.get(target);
      if (v == null) {
        s.after.put(target, members);
      } else if (v instanceof Set<?> set) {
        Set<Object> union = new HashSet<>(set);
        union.addAll(members);
        s.after.put(target, union);
      } else {
        s.errors.add(TYPE);
      }
    }
  }

  record DeleteSet(String target, Set<String> members) implements Action {
    public String clause() {
      return "DELETE";
    }

    public String text(Renderer r) {
      return r.name(target) + " " + r.value(members);
    }

    public void apply(State s) {
      Object v = s.before.get(target);
      if (v instanceof Set<?> set) {
        Set<Object> left = new HashSet<>(set);
        left.removeAll(members);
        if (left.isEmpty()) {
          s.after.remove(target);
        } else {
          s.after.put(target, left);
        }
      } else if (v != null) {
        s.errors.add(TYPE);
      }
    }
  }

  /**
   * The model: every action reads the item before the update; list elements are named by their
   * index before the update: SET past the end appends, REMOVE past the end does nothing.
   */
  static State model(Map<String, Object> item, List<Action> actions) {
    State s = new State(item);
    actions.forEach(a -> a.apply(s));
    if (!s.listSets.isEmpty() || !s.listRemoves.isEmpty()) {
      if (s.before.get("l") instanceof List<?> list) {
        List<Object> kept = new ArrayList<>();
        List<Object> appended = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          if (!s.listRemoves.contains(i)) {
            kept.add(s.listSets.containsKey(i) ? s.listSets.get(i) : list.get(i));
          }
        }
        s.listSets.forEach(
            (i, v) -> {
              if (i >= list.size()) {
                appended.add(v);
              }
            });
        kept.addAll(appended);
        s.after.put("l", kept);
      } else {
        s.errors.add(PATH);
      }
    }
    return s;
  }

  @Property(tries = 3000)
  void appliedUpdatesAgreeWithTheModel(
      @ForAll("actions") List<Action> generated,
      @ForAll("items") Map<String, Object> item,
      @ForAll long seed) {
    // one action per target: DynamoDB refuses overlapping paths
    Map<String, Action> byTarget = new LinkedHashMap<>();
    generated.forEach(a -> byTarget.putIfAbsent(a.target(), a));
    List<Action> actions = new ArrayList<>(byTarget.values());
    Assume.that(!actions.isEmpty());

    Renderer renderer = new Renderer(seed);
    String text = render(actions, renderer);
    ExpressionAttributes attributes =
        ExpressionAttributes.of(
            renderer.names.isEmpty() ? null : renderer.names,
            renderer.values.isEmpty() ? null : renderer.values);
    UpdateExpression update = UpdateExpression.parse(text, attributes, List.of("pk"));
    attributes.requireAllUsed();

    State expected = model(item, actions);
    Map<String, AttributeValue> typedItem = typedItem(item);
    if (expected.errors.isEmpty()) {
      assertEquals(typedItem(expected.after), update.apply(typedItem), text + " on " + item);
    } else {
      try {
        Map<String, AttributeValue> after = update.apply(typedItem);
        throw new AssertionError(
            text + " on " + item + " gave " + after + ", expected " + expected.errors);
      } catch (InvalidValueException e) {
        assertTrue(
            expected.errors.contains(e.getMessage()), text + " on " + item + ": " + e.getMessage());
      }
    }
  }

  /** The actions grouped into their clauses, the clauses in a random order. */
  static String render(List<Action> actions, Renderer r) {
    List<String> clauses = new ArrayList<>(List.of("SET", "REMOVE", "ADD", "DELETE"));
    Collections.shuffle(clauses, r.random);
    StringBuilder text = new StringBuilder();
    for (String clause : clauses) {
      List<String> parts = new ArrayList<>();
      for (Action action : actions) {
        if (action.clause().equals(clause)) {
          parts.add(action.text(r));
        }
      }
      if (!parts.isEmpty()) {
        text.append(text.length() == 0 ? "" : " ").append(r.keyword(clause)).append(' ');
        text.append(String.join(", ", parts));
      }
    }
    return text.toString();
  }

  static Map<String, AttributeValue> typedItem(Map<String, Object> item) {
    Map<String, AttributeValue> typed = new HashMap<>();
    item.forEach((name, value) -> typed.put(name, typed(value)));
    return typed;
  }

  @SuppressWarnings("unchecked")
  static AttributeValue typed(Object v) {
    if (v instanceof Long n) {
      return AttributeValue.n(n);
    }
    if (v instanceof String s) {
      return AttributeValue.s(s);
    }
    if (v instanceof Set<?> set) {
      return new AttributeValue.SS((Set<String>) set);
    }
    return new AttributeValue.L(((List<Object>) v).stream().map(UpdateModelTest::typed).toList());
  }

  /** Items of a, b, c, and mostly a list l (else a number, or no l), where the index bugs hide. */
  @Provide
  Arbitrary<Map<String, Object>> items() {
    Arbitrary<Object> value = Arbitraries.oneOf(longs(), strings(), sets(), lists());
    Arbitrary<Object> l =
        Arbitraries.frequencyOf(
            Tuple.of(6, lists()), Tuple.of(1, longs()), Tuple.of(1, Arbitraries.just("absent")));
    return Combinators.combine(Arbitraries.maps(Arbitraries.of("a", "b", "c"), value), l)
        .as(
            (item, list) -> {
              Map<String, Object> all = new HashMap<>(item);
              if (!list.equals("absent")) {
                all.put("l", list);
              }
              return all;
            });
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<String> target = Arbitraries.of(TARGETS);
    Arbitrary<String> source = Arbitraries.of(SOURCES);
    Arbitrary<Object> literal = Arbitraries.oneOf(longs(), strings(), sets(), lists());
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 4);
    Arbitrary<Action> listAction =
        Arbitraries.oneOf(
            Combinators.combine(index, numbers()).as(SetIndex::new), index.map(RemoveIndex::new));
    Arbitrary<Action> action =
        Arbitraries.oneOf(
            listAction,
            listAction,
            listAction,
            Combinators.combine(target, literal).as(SetConst::new),
            Combinators.combine(target, source, numbers(), Arbitraries.of(true, false))
                .as(SetPlus::new),
            Combinators.combine(target, source, literal).as(SetIfNotExists::new),
            Combinators.combine(target, source, longList()).as(SetAppend::new),
            Combinators.combine(index, numbers()).as(SetIndex::new),
            target.map(Remove::new),
            index.map(RemoveIndex::new),
            Combinators.combine(target, numbers()).as(AddNumber::new),
            Combinators.combine(target, stringSet()).as(AddSet::new),
            Combinators.combine(target, stringSet()).as(DeleteSet::new));
    return action.list().ofMinSize(1).ofMaxSize(6);
  }

  static Arbitrary<Long> numbers() {
    return Arbitraries.longs().between(-3, 3);
  }

  static Arbitrary<Object> longs() {
    return numbers().map(n -> n);
  }

  static Arbitrary<Object> strings() {
    return Arbitraries.of("x", "y");
  }

  static Arbitrary<Object> sets() {
    return stringSet().map(s -> s);
  }

  static Arbitrary<Set<String>> stringSet() {
    return Arbitraries.of("r", "g", "b").set().ofMinSize(1);
  }

  static Arbitrary<Object> lists() {
    return longList().map(l -> l);
  }

  static Arbitrary<List<Long>> longList() {
    return Arbitraries.longs().between(0, 9).list().ofMaxSize(4);
  }
}
