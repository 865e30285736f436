/**
 * STIX 2.1 validation: {@link org.entente.stix.validate.StixValidator} is the entry point.
 *
 * <p>Design (after python-stix2): {@code Registry} declares each type once as a {@code TypeSpec}
 * (property name to {@code Kind}, required flags, rules across properties, predefined extensions);
 * {@code ObjectChecker} holds the checks every object gets (type name, id, spec_version and
 * created/modified per object class, custom properties, extensions, markings, timestamp order, UUID
 * versions). MUST rules report ERROR, SHOULD rules WARNING.
 *
 * <p>Rule names are stable and meant for clients: {@code required-property}, {@code property-type},
 * {@code property-name}, {@code reserved-property}, {@code custom-property-name}, {@code
 * custom-property-prefix}*, {@code custom-object-prefix}*, {@code custom-extension-prefix}*, {@code
 * type-name}, {@code id-format}, {@code id-prefix}, {@code spec-version}, {@code timestamp-format},
 * {@code timestamp-precision}, {@code modified-before-created}, {@code timestamp-order}, {@code
 * ref-format} (* for custom {@code _ref}s), {@code ref-type}, {@code empty-list}, {@code
 * empty-dict}, {@code dictionary-key}, {@code integer-range}, {@code float-range}, {@code enum},
 * {@code vocab}*, {@code hash-algorithm} (* unless in an external reference), {@code hash-value},
 * {@code hex-format}, {@code binary-format}, {@code lang-tag}, {@code external-reference}, {@code
 * external-id-format}, {@code kill-chain-phase}*, {@code granular-marking}, {@code selector},
 * {@code marking-circular}, {@code tlp-definition}, {@code extension-key}, {@code extension-type},
 * {@code at-least-one}, {@code exactly-one}, {@code dependent-property}, {@code value-format},
 * {@code cpe-format}, {@code pattern-syntax}, {@code relationship-type} (* for unusual pairs),
 * {@code uuid-version} (* except process / no ID-contributing properties), {@code
 * deterministic-id}*, {@code deprecated-property}*, {@code objects-key}*, {@code
 * duplicate-object}*. (* = warning.)
 */
package org.entente.stix.validate;
