package dev.portico.alarm.delivery;

import dev.portico.contracts.alarms.Delivery;

/** Sends one delivery to its endpoint; blocking, called on a delivery thread. */
public interface Transport {
  /** Returns when the endpoint accepted the message. */
  void send(Delivery delivery) throws DeliveryFailure;
}
