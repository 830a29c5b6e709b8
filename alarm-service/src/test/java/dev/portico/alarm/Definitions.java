package dev.portico.alarm;

import dev.portico.contracts.alarms.AlarmDefinition;
import dev.portico.contracts.alarms.Dimension;
import java.util.List;

/** Alarm definitions for tests, starting from the source lab's. */
public final class Definitions {
  public static final String LAB_ALARM = "awslab_cloudwatch_toomuch_volume_alarm";
  public static final String LAB_TOPIC = "AWSLab_CloudWatch_Volume_Alarms_Topic";

  private Definitions() {}

  /** The lab's alarm: VolumeWriteBytes > 100000, 1 of 1, 60 s, Maximum. */
  public static AlarmDefinition lab() {
    return metric(LAB_ALARM, "GreaterThanThreshold", 100000.0, 60, 1, 1, "missing");
  }

  public static AlarmDefinition metric(
      String name,
      String comparison,
      double threshold,
      int period,
      int n,
      int m,
      String treatMissing) {
    return new AlarmDefinition(
        name,
        AlarmDefinition.METRIC,
        "EBS Volume에 너무 많은 쓰기가 수행되었습니다",
        "Portico/Lab",
        "VolumeWriteBytes",
        List.of(new Dimension("VolumeId", "vol-00f66de5615226721")),
        "Maximum",
        null,
        null,
        period,
        n,
        m,
        threshold,
        comparison,
        treatMissing,
        null,
        true,
        List.of(LAB_TOPIC),
        List.of(LAB_TOPIC),
        List.of(),
        0,
        null);
  }
}
