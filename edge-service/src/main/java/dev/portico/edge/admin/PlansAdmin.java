package dev.portico.edge.admin;

import dev.portico.contracts.edge.QuotaSettings;
import dev.portico.contracts.edge.UsagePlanRecord;
import dev.portico.edge.config.ConfigTopic;
import dev.portico.edge.config.GatewayConfig;
import dev.portico.edge.plans.QuotaPeriods;
import dev.portico.edge.plans.UsageLedger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Admin operations on usage plans, the keys they hold (a key may be in one plan per API stage, as
 * in API Gateway) and their usage; the keys themselves through {@link #keys()}. Blocking.
 */
public final class PlansAdmin {
  private final ConfigTopic topic;
  private final UsageLedger usage;
  private final ConfigWriter writer;
  private final ApiKeyAdmin apiKeys;

  public PlansAdmin(ConfigTopic topic, UsageLedger usage) {
    this.topic = topic;
    this.usage = usage;
    this.writer = new ConfigWriter(topic);
    this.apiKeys = new ApiKeyAdmin(topic, writer);
  }

  /** The API keys that plans hold. */
  public ApiKeyAdmin keys() {
    return apiKeys;
  }

  private GatewayConfig config() {
    return topic.current();
  }

  public UsagePlanRecord putPlan(String id, UsagePlanRecord input) {
    List<String> problems = new ArrayList<>();
    if (input.name() == null || input.name().isBlank() || input.name().length() > 128) {
      problems.add("name: required, 1-128 characters");
    }
    SettingRules.throttle("throttle", input.throttle(), problems);
    QuotaSettings quota = input.quota();
    if (quota != null && (quota.limit() < 1 || quota.period() == null)) {
      problems.add("quota: limit >= 1 and period DAY, WEEK or MONTH");
    }
    for (int i = 0; i < input.apiStages().size(); i++) {
      UsagePlanRecord.ApiStage stage = input.apiStages().get(i);
      String where = "apiStages[" + i + "]";
      if (stage.apiId() == null || stage.stage() == null) {
        problems.add(where + ": apiId and stage are required");
        continue;
      }
      var record = config().stage(stage.stage());
      if (record.isEmpty() || !record.get().apiId().equals(stage.apiId())) {
        problems.add(where + ": no stage " + stage.stage() + " of API " + stage.apiId());
      }
      stage
          .throttle()
          .forEach(
              (routeKey, t) -> {
                if (!routeKey.matches(SettingRules.ROUTE_KEY)) {
                  problems.add(where + ".throttle: keys are \"METHOD /path\", was " + routeKey);
                }
                SettingRules.throttle(where + ".throttle." + routeKey, t, problems);
              });
    }
    UsagePlanRecord existing = id == null ? null : config().usagePlans().get(id);
    List<String> keyIds = existing == null ? List.of() : existing.keyIds();
    for (String keyId : keyIds) {
      for (UsagePlanRecord.ApiStage s : input.apiStages()) {
        UsagePlanRecord other = otherPlanCovering(id, keyId, s);
        if (other != null) {
          throw new AdminException(
              409,
              "Key "
                  + keyId
                  + " is also in plan "
                  + other.id()
                  + ", which covers "
                  + s.apiId()
                  + "/"
                  + s.stage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems);
    }
    String planId = id == null ? RandomIds.next(10).toLowerCase(Locale.ROOT) : id;
    UsagePlanRecord plan =
        new UsagePlanRecord(
            planId,
            input.name(),
            input.description() == null ? "" : input.description(),
            input.throttle(),
            quota,
            input.apiStages(),
            keyIds,
            existing == null ? Instant.now().toString() : existing.createdAt());
    writer.write(GatewayConfig.usagePlanKey(planId), plan);
    return plan;
  }

  public UsagePlanRecord plan(String id) {
    UsagePlanRecord plan = config().usagePlans().get(id);
    if (plan == null) {
      throw AdminException.notFound("Usage plan " + id);
    }
    return plan;
  }

  public void deletePlan(String id) {
    plan(id);
    writer.write(GatewayConfig.usagePlanKey(id), null);
  }

  /** Attaches a key; a key may be in one plan per API stage, as in API Gateway. */
  public UsagePlanRecord addKey(String planId, String keyId) {
    UsagePlanRecord plan = plan(planId);
    if (keyId == null) {
      throw AdminException.invalid(List.of("keyId: required"));
    }
    apiKeys.key(keyId);
    for (UsagePlanRecord.ApiStage s : plan.apiStages()) {
      UsagePlanRecord other = otherPlanCovering(planId, keyId, s);
      if (other != null) {
        throw new AdminException(
            409,
            "Key "
                + keyId
                + " is already in plan "
                + other.id()
                + ", which covers "
                + s.apiId()
                + "/"
                + s.stage());
      }
    }
    if (plan.keyIds().contains(keyId)) {
      return plan;
    }
    List<String> keys = new ArrayList<>(plan.keyIds());
    keys.add(keyId);
    UsagePlanRecord updated = plan.withKeys(keys);
    writer.write(GatewayConfig.usagePlanKey(planId), updated);
    return updated;
  }

  /** Another plan holding {@code keyId} that covers the same API stage, or {@code null}. */
  private UsagePlanRecord otherPlanCovering(
      String planId, String keyId, UsagePlanRecord.ApiStage stage) {
    for (UsagePlanRecord other : config().usagePlans().values()) {
      if (!other.id().equals(planId)
          && other.keyIds().contains(keyId)
          && other.covers(stage.apiId(), stage.stage())) {
        return other;
      }
    }
    return null;
  }

  public UsagePlanRecord removeKey(String planId, String keyId) {
    UsagePlanRecord plan = plan(planId);
    if (!plan.keyIds().contains(keyId)) {
      throw AdminException.notFound("Key " + keyId + " in plan " + planId);
    }
    List<String> keys = new ArrayList<>(plan.keyIds());
    keys.remove(keyId);
    UsagePlanRecord updated = plan.withKeys(keys);
    writer.write(GatewayConfig.usagePlanKey(planId), updated);
    return updated;
  }

  /**
   * Usage per key per day: {@code {keyId: [{date, used, remaining}]}}, remaining against the plan's
   * quota for the period that day is in (absent without a quota).
   */
  public Map<String, Object> usage(String planId, String keyId, LocalDate from, LocalDate to) {
    UsagePlanRecord plan = plan(planId);
    if (keyId != null && !plan.keyIds().contains(keyId)) {
      throw AdminException.notFound("Key " + keyId + " in plan " + planId);
    }
    if (from.isAfter(to) || !from.plusDays(90).isAfter(to)) {
      throw AdminException.invalid(List.of("startDate..endDate: at most 90 days, start first"));
    }
    List<String> keys = keyId == null ? plan.keyIds() : List.of(keyId);
    Map<String, Object> items = new LinkedHashMap<>();
    for (String key : keys) {
      List<Map<String, Object>> days = new ArrayList<>();
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
        Map<String, Object> day = new LinkedHashMap<>();
        day.put("date", d.toString());
        day.put("used", usage.used(key, d));
        if (plan.quota() != null) {
          LocalDate start = QuotaPeriods.start(plan.quota().period(), d);
          day.put("remaining", Math.max(0, plan.quota().limit() - usage.used(key, start, d)));
        }
        days.add(day);
      }
      items.put(key, days);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("usagePlanId", planId);
    out.put("startDate", from.toString());
    out.put("endDate", to.toString());
    out.put("items", items);
    return out;
  }

  /** Changes today's usage of a key by {@code usedDelta} (negative = grant more requests). */
  public Map<String, Object> adjust(String planId, String keyId, long usedDelta) {
    UsagePlanRecord plan = plan(planId);
    if (!plan.keyIds().contains(keyId)) {
      throw AdminException.notFound("Key " + keyId + " in plan " + planId);
    }
    try {
      usage.adjust(keyId, usage.today(), usedDelta);
    } catch (Exception e) {
      throw new AdminException(503, "The usage topic is unavailable: " + e.getMessage());
    }
    return usage(planId, keyId, usage.today(), usage.today());
  }
}
