package org.entente.store;

/**
 * An organisation known to the node (the home organisation or another nation's centre).
 *
 * @param identityId id of its STIX identity object
 * @param country ISO 3166-1 alpha-2 code, or null
 */
public record Organisation(String name, String identityId, String country, boolean home) {}
