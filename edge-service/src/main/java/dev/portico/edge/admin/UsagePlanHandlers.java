package dev.portico.edge.admin;

import dev.portico.contracts.edge.UsagePlanRecord;
import java.util.Comparator;
import java.util.List;

/**
 * {@code /usageplans}: create, list, read, replace and delete plans (the body is {@link
 * UsagePlanRecord}, read strictly), and attach or detach their keys. A plan is shown as its record.
 */
final class UsagePlanHandlers {
  private final GatewayAdmin admin;
  private final PlansAdmin plans;

  UsagePlanHandlers(GatewayAdmin admin, PlansAdmin plans) {
    this.admin = admin;
    this.plans = plans;
  }

  UsagePlanRecord create(AdminRequest request) {
    return plans.putPlan(null, request.body().as(UsagePlanRecord.class));
  }

  List<UsagePlanRecord> list(AdminRequest request) {
    return admin.config().usagePlans().values().stream()
        .sorted(Comparator.comparing(UsagePlanRecord::createdAt))
        .toList();
  }

  UsagePlanRecord get(AdminRequest request) {
    return plans.plan(request.path("plan"));
  }

  /** Replaces an existing plan; its keys stay. */
  UsagePlanRecord replace(AdminRequest request) {
    plans.plan(request.path("plan"));
    return plans.putPlan(request.path("plan"), request.body().as(UsagePlanRecord.class));
  }

  void delete(AdminRequest request) {
    plans.deletePlan(request.path("plan"));
  }

  /** Body: {@code {"keyId"}}. */
  UsagePlanRecord addKey(AdminRequest request) {
    return plans.addKey(request.path("plan"), request.body().object().text("keyId"));
  }

  UsagePlanRecord removeKey(AdminRequest request) {
    return plans.removeKey(request.path("plan"), request.path("key"));
  }
}
