package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;

/** How one property value is checked; reports findings at the context's current path. */
@FunctionalInterface
interface Kind {
  void check(JsonNode value, Ctx ctx);
}
