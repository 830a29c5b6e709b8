package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.model.AlarmJson;
import dev.portico.alarm.streams.TopicNames;
import dev.portico.alarm.view.AlarmsView;
import dev.portico.contracts.Json;
import dev.portico.contracts.Topics;
import dev.portico.contracts.alarms.AlarmCommand;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmRecord;
import dev.portico.contracts.alarms.AlarmState;
import dev.portico.contracts.alarms.ChildState;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The alarms API (CloudWatch's operations over JSON): PutMetricAlarm, PutCompositeAlarm,
 * DescribeAlarms, DeleteAlarms, SetAlarmState, Enable/DisableAlarmActions. Reads come from this
 * replica's views; changes go to the alarm's partition owner as commands, and the answer waits
 * until this replica's view shows them applied.
 */
public final class AlarmApi {
  private final CommandBus bus;
  private final TopicNames names;
  private final AlarmsView alarms;
  private final Clock clock;

  public AlarmApi(CommandBus bus, TopicNames names, AlarmsView alarms, Clock clock) {
    this.bus = bus;
    this.names = names;
    this.alarms = alarms;
    this.clock = clock;
  }

  public void routes(Router router) {
    router
        .put("/alarms/:name")
        .handler(ctx -> Replies.handle(ctx, () -> putMetric(ctx, name(ctx))));
    router.post("/alarms").handler(ctx -> Replies.handle(ctx, () -> putMetric(ctx, null)));
    router
        .put("/composite-alarms/:name")
        .handler(ctx -> Replies.handle(ctx, () -> putComposite(ctx, name(ctx))));
    router
        .post("/composite-alarms")
        .handler(ctx -> Replies.handle(ctx, () -> putComposite(ctx, null)));
    router.get("/alarms").handler(ctx -> Replies.handle(ctx, () -> describe(ctx)));
    router.post("/alarms/delete").handler(ctx -> Replies.handle(ctx, () -> deleteMany(ctx)));
    router
        .post("/alarms/enable-actions")
        .handler(ctx -> Replies.handle(ctx, () -> toggle(ctx, AlarmCommand.ENABLE_ACTIONS)));
    router
        .post("/alarms/disable-actions")
        .handler(ctx -> Replies.handle(ctx, () -> toggle(ctx, AlarmCommand.DISABLE_ACTIONS)));
    router.get("/alarms/:name").handler(ctx -> Replies.handle(ctx, () -> describeOne(ctx)));
    router
        .delete("/alarms/:name")
        .handler(ctx -> Replies.handle(ctx, () -> delete(ctx, List.of(name(ctx)))));
    router
        .post("/alarms/:name/state")
        .handler(ctx -> Replies.handle(ctx, () -> setState(ctx, name(ctx))));
  }

  private static String name(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String problem = Names.alarmNameProblem(name);
    if (problem != null) {
      throw new ApiError(400, problem);
    }
    return name;
  }

  private Future<?> putMetric(RoutingContext ctx, String pathName) {
    AlarmDefinition def =
        AlarmRequests.putMetricAlarm(pathName, ctx.body().buffer(), clock.millis());
    AlarmRecord existing = alarms.get(def.alarmName());
    if (existing != null && existing.definition().isComposite()) {
      throw new ApiError(
          400,
          "Alarm \""
              + def.alarmName()
              + "\" is a composite alarm; delete it before reusing the"
              + " name for a metric alarm");
    }
    return put(ctx, def, Map.of(), existing == null);
  }

  private Future<?> putComposite(RoutingContext ctx, String pathName) {
    AlarmDefinition def =
        AlarmRequests.putCompositeAlarm(pathName, ctx.body().buffer(), clock.millis());
    AlarmRecord existing = alarms.get(def.alarmName());
    if (existing != null && !existing.definition().isComposite()) {
      throw new ApiError(
          400,
          "Alarm \""
              + def.alarmName()
              + "\" is a metric alarm; delete it before reusing the name"
              + " for a composite alarm");
    }
    Set<String> named = RuleGraph.names(def.alarmRule());
    Problems problems = new Problems();
    Map<String, ChildState> children = new HashMap<>();
    for (String child : named) {
      AlarmRecord record = alarms.get(child);
      if (record == null) {
        problems.add("AlarmRule names alarm \"" + child + "\", which does not exist");
      } else {
        children.put(
            child, new ChildState(record.state().value(), record.state().transitionedTimestamp()));
      }
    }
    List<String> cycle = new RuleGraph(alarms).cycle(def.alarmName(), named);
    if (cycle != null) {
      problems.add("AlarmRule would create a cycle: " + String.join(" -> ", cycle));
    }
    problems.throwIfAny();
    return put(ctx, def, children, existing == null);
  }

  private Future<?> put(
      RoutingContext ctx, AlarmDefinition def, Map<String, ChildState> children, boolean created) {
    return bus.command(
            Topics.ALARM_COMMANDS.named(names.commands()),
            def.alarmName(),
            new AlarmCommand(AlarmCommand.PUT, def, null, children))
        .compose(Replies::applied)
        .onSuccess(v -> Replies.json(ctx, created ? 201 : 200, describe(def.alarmName())));
  }

  private ObjectNode describe(String name) {
    AlarmRecord record = alarms.get(name);
    if (record == null) {
      throw ApiError.notFound("Alarm \"" + name + "\" does not exist");
    }
    return AlarmJson.describe(record.definition(), record.state());
  }

  private Future<?> describeOne(RoutingContext ctx) {
    Replies.json(ctx, 200, describe(name(ctx)));
    return null;
  }

  private Future<?> describe(RoutingContext ctx) {
    Query q =
        new Query(
            ctx,
            Set.of(
                "AlarmNames",
                "AlarmNamePrefix",
                "StateValue",
                "ActionPrefix",
                "AlarmTypes",
                "MaxRecords",
                "NextToken"));
    List<String> alarmNames = q.all("AlarmNames");
    if (alarmNames.size() > Names.MAX_BATCH) {
      q.problems().add("AlarmNames may name at most 100 alarms");
    }
    String prefix = q.string("AlarmNamePrefix");
    if (prefix != null && !alarmNames.isEmpty()) {
      q.problems().add("Give AlarmNames or AlarmNamePrefix, not both");
    }
    String state = q.string("StateValue");
    if (state != null && !AlarmState.isValue(state)) {
      q.problems().add("StateValue must be OK, ALARM or INSUFFICIENT_DATA");
    }
    String actionPrefix = q.string("ActionPrefix");
    Set<String> types = new HashSet<>(q.all("AlarmTypes"));
    for (String type : types) {
      if (!type.equals(AlarmDefinition.METRIC) && !type.equals(AlarmDefinition.COMPOSITE)) {
        q.problems().add("AlarmTypes must be MetricAlarm or CompositeAlarm");
      }
    }
    if (types.isEmpty()) {
      types.add(AlarmDefinition.METRIC); // CloudWatch's default: metric alarms only
    }
    int max = q.integer("MaxRecords", 50, 1, 100);
    String after = PageTokens.decode(q.string("NextToken"), q.problems());
    q.problems().throwIfAny();

    Set<String> wanted = new LinkedHashSet<>(alarmNames);
    Predicate<AlarmRecord> matches =
        r ->
            (wanted.isEmpty() || wanted.contains(r.definition().alarmName()))
                && (prefix == null || r.definition().alarmName().startsWith(prefix))
                && (state == null || state.equals(r.state().value()))
                && types.contains(r.definition().alarmType())
                && (actionPrefix == null || hasAction(r.definition(), actionPrefix));
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode metric = out.putArray("MetricAlarms");
    ArrayNode composite = out.putArray("CompositeAlarms");
    int count = 0;
    String last = null;
    boolean more = false;
    for (AlarmRecord r : alarms.from(after)) {
      if (!matches.test(r)) {
        continue;
      }
      if (count == max) {
        more = true;
        break;
      }
      (r.definition().isComposite() ? composite : metric)
          .add(AlarmJson.describe(r.definition(), r.state()));
      last = r.definition().alarmName();
      count++;
    }
    if (more) {
      out.put("NextToken", PageTokens.encode(last));
    }
    Replies.json(ctx, 200, out);
    return null;
  }

  private static boolean hasAction(AlarmDefinition def, String prefix) {
    return def.alarmActions().stream().anyMatch(a -> a.startsWith(prefix))
        || def.okActions().stream().anyMatch(a -> a.startsWith(prefix))
        || def.insufficientDataActions().stream().anyMatch(a -> a.startsWith(prefix));
  }

  private Future<?> deleteMany(RoutingContext ctx) {
    return delete(ctx, AlarmRequests.alarmNames(ctx.body().buffer()));
  }

  /**
   * DeleteAlarms: all or nothing, like CloudWatch. An alarm a composite alarm's rule names can only
   * go together with that composite.
   */
  private Future<?> delete(RoutingContext ctx, List<String> toDelete) {
    List<String> missing = toDelete.stream().filter(n -> alarms.get(n) == null).toList();
    if (!missing.isEmpty()) {
      throw ApiError.notFound("Alarms not found: " + String.join(", ", missing));
    }
    Problems problems = new Problems();
    Set<String> deleting = new HashSet<>(toDelete);
    for (AlarmRecord r : alarms.from(null)) {
      AlarmDefinition def = r.definition();
      if (!def.isComposite() || deleting.contains(def.alarmName())) {
        continue;
      }
      for (String child : RuleGraph.names(def.alarmRule())) {
        if (deleting.contains(child)) {
          problems.add(
              "Alarm \"" + child + "\" is named by composite alarm \"" + def.alarmName() + "\"");
        }
      }
    }
    problems.throwIfAny();
    return all(toDelete, AlarmCommand.DELETE).onSuccess(v -> Replies.noContent(ctx));
  }

  private Future<?> toggle(RoutingContext ctx, String type) {
    List<String> targets = AlarmRequests.alarmNames(ctx.body().buffer());
    List<String> missing = targets.stream().filter(n -> alarms.get(n) == null).toList();
    if (!missing.isEmpty()) {
      throw ApiError.notFound("Alarms not found: " + String.join(", ", missing));
    }
    return all(targets, type).onSuccess(v -> Replies.noContent(ctx));
  }

  private Future<Void> all(List<String> targets, String type) {
    List<Future<Void>> sent = new ArrayList<>();
    for (String target : targets) {
      sent.add(
          bus.command(
                  Topics.ALARM_COMMANDS.named(names.commands()),
                  target,
                  new AlarmCommand(type, null, null, null))
              .compose(Replies::applied));
    }
    return Future.all(sent).mapEmpty();
  }

  private Future<?> setState(RoutingContext ctx, String name) {
    AlarmState requested = SetAlarmStateRequest.read(ctx.body().buffer());
    if (alarms.get(name) == null) {
      throw ApiError.notFound("Alarm \"" + name + "\" does not exist");
    }
    return bus.command(
            Topics.ALARM_COMMANDS.named(names.commands()),
            name,
            new AlarmCommand(AlarmCommand.SET_STATE, null, requested, null))
        .compose(Replies::applied)
        .onSuccess(v -> Replies.json(ctx, 200, describe(name)));
  }
}
