package org.entente.taxii.testing;

import java.util.Map;
import org.entente.stix.StixObject;
import org.entente.store.Collection;
import org.entente.store.Visibility;
import org.entente.taxii.server.AccessPolicy;
import org.entente.taxii.server.CollectionRights;
import org.entente.taxii.server.Requester;

/** A fixed rights table; refuses objects named "refuse me". Node admins may do everything. */
public final class TestPolicy implements AccessPolicy {
  public static final String REFUSAL = "the test policy refuses this object";

  private final Map<String, Map<String, CollectionRights>> table;

  public TestPolicy(Map<String, Map<String, CollectionRights>> table) {
    this.table = table;
  }

  @Override
  public CollectionRights rights(Requester r, Collection c) {
    if (r.nodeAdmin()) {
      return new CollectionRights(true, true, Visibility.EVERYTHING);
    }
    return table.getOrDefault(c.id(), Map.of()).getOrDefault(r.user(), CollectionRights.NONE);
  }

  @Override
  public String refuseWrite(Requester r, Collection c, StixObject o) {
    var name = o.json().get("name");
    return name != null && name.asText().equals("refuse me") ? REFUSAL : null;
  }
}
