package org.entente.store;

/** One object write and what the store did with it, reported after its transaction committed. */
public record CommittedWrite(ObjectWrite write, WriteOutcome outcome) {}
