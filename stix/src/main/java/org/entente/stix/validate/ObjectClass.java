package org.entente.stix.validate;

/** The object classes of the common-properties table (spec section 3.2); each has its own set. */
enum ObjectClass {
  SDO,
  SRO,
  SCO,
  MARKING_DEFINITION,
  LANGUAGE_CONTENT,
  EXTENSION_DEFINITION,
  BUNDLE
}
