package org.entente.bench;

/** The node the load driver talks to: a child process or an in-process {@code Node}. */
interface NodeUnderTest extends AutoCloseable {
  /** e.g. {@code http://127.0.0.1:43211}, no trailing slash. */
  String baseUrl();

  /**
   * CPU time the server has used; for an in-process node this is the whole JVM's, driver included
   * (see {@link #separateCpu()}).
   */
  long serverCpuNanos();

  /** Whether {@link #serverCpuNanos()} excludes the load driver's own CPU time. */
  boolean separateCpu();

  /**
   * The process whose memory is the node's: its own for a child, the driver's for an in-process
   * node (see {@link #separateCpu()}: then the figure includes the driver).
   */
  long pid();

  String describe();

  @Override
  void close() throws Exception;
}
