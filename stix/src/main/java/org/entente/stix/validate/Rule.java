package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;

/** A check that looks at several properties of one object (or embedded object) together. */
@FunctionalInterface
interface Rule {
  void check(JsonNode object, Ctx ctx);
}
