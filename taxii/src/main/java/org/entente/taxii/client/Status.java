package org.entente.taxii.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A TAXII status resource (§4.3.1). */
public record Status(
    String id,
    String status,
    String requestTimestamp,
    int totalCount,
    int successCount,
    int failureCount,
    int pendingCount,
    List<Detail> successes,
    List<Detail> failures,
    List<Detail> pendings,
    JsonNode json) {

  /** A status-details entry: which object version, and optionally what happened to it. */
  public record Detail(String id, String version, String message) {}

  public boolean complete() {
    return "complete".equals(status);
  }
}
