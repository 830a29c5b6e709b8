package dev.portico.alarm.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portico.alarm.model.AlarmJson;
import dev.portico.alarm.view.AlarmsView;
import dev.portico.alarm.view.HistoryView;
import dev.portico.contracts.Json;
import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.AlarmRecord;
import dev.portico.contracts.alarms.HistoryItem;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * DescribeAlarmHistory ({@code GET /alarm-history}): two weeks of ConfigurationUpdate, StateUpdate
 * and Action items from this replica's history view, also for alarms deleted since; newest first
 * unless {@code ScanBy=TimestampAscending}.
 */
public final class HistoryApi {
  private final HistoryView history;
  private final AlarmsView alarms;

  public HistoryApi(HistoryView history, AlarmsView alarms) {
    this.history = history;
    this.alarms = alarms;
  }

  public void routes(Router router) {
    router.get("/alarm-history").handler(ctx -> Replies.handle(ctx, () -> history(ctx)));
  }

  private Future<?> history(RoutingContext ctx) {
    Query q =
        new Query(
            ctx,
            Set.of(
                "AlarmName",
                "AlarmTypes",
                "HistoryItemType",
                "StartDate",
                "EndDate",
                "MaxRecords",
                "NextToken",
                "ScanBy"));
    String name = q.string("AlarmName");
    if (name != null && Names.alarmNameProblem(name) != null) {
      q.problems().add(Names.alarmNameProblem(name));
    }
    Set<String> types = new HashSet<>(q.all("AlarmTypes"));
    String type =
        q.oneOf(
            "HistoryItemType",
            Set.of(HistoryItem.CONFIGURATION_UPDATE, HistoryItem.STATE_UPDATE, HistoryItem.ACTION),
            null);
    Instant start = q.instant("StartDate");
    Instant end = q.instant("EndDate");
    int max = q.integer("MaxRecords", 100, 1, 100);
    String scan =
        q.oneOf(
            "ScanBy", Set.of("TimestampDescending", "TimestampAscending"), "TimestampDescending");
    int skip = 0;
    String position = PageTokens.decode(q.string("NextToken"), q.problems());
    if (position != null) {
      try {
        skip = Integer.parseInt(position);
      } catch (NumberFormatException e) {
        q.problems().add("NextToken is not one this API gave out");
      }
    }
    q.problems().throwIfAny();
    Predicate<HistoryItem> filter =
        i ->
            (name == null || name.equals(i.alarmName()))
                && (type == null || type.equals(i.historyItemType()))
                && (start == null || i.timestamp() >= start.toEpochMilli())
                && (end == null || i.timestamp() <= end.toEpochMilli())
                && (types.isEmpty() || types.contains(typeOf(i)));
    List<HistoryItem> page =
        history.query(filter, scan.equals("TimestampAscending"), skip, max + 1);
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode items = out.putArray("AlarmHistoryItems");
    for (HistoryItem item : page.subList(0, Math.min(max, page.size()))) {
      items
          .addObject()
          .put("AlarmName", item.alarmName())
          .put("AlarmType", typeOf(item))
          .put("Timestamp", AlarmJson.iso(item.timestamp()))
          .put("HistoryItemType", item.historyItemType())
          .put("HistorySummary", item.historySummary())
          .put("HistoryData", item.historyData());
    }
    if (page.size() > max) {
      out.put("NextToken", PageTokens.encode(Integer.toString(skip + max)));
    }
    Replies.json(ctx, 200, out);
    return null;
  }

  private String typeOf(HistoryItem item) {
    if (item.alarmType() != null) {
      return item.alarmType();
    }
    AlarmRecord r = alarms.get(item.alarmName());
    return r == null ? AlarmDefinition.METRIC : r.definition().alarmType();
  }
}
