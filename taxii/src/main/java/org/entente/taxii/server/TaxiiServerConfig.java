package org.entente.taxii.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link TaxiiServer}.
 *
 * @param bindAddress address to listen on, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port TCP port; 0 picks a free one (see {@link TaxiiServer#port()})
 * @param tls the key store to serve HTTPS with; null serves plain HTTP (tests, or behind a
 *     TLS-terminating proxy: TAXII itself requires HTTPS)
 * @param title discovery {@code title}
 * @param description discovery {@code description}, or null
 * @param contact discovery {@code contact}, or null
 * @param defaultApiRoot path of the API root advertised as discovery {@code default}, or null
 * @param publicBaseUrl e.g. {@code https://taxii.example.org}: when set, discovery lists absolute
 *     API root URLs under it; when null, relative ones ({@code /api1/})
 * @param pageSizeDefault objects per page when the client gives no {@code limit}
 * @param pageSizeMax largest page; a larger {@code limit} is capped silently
 * @param statusWait how long a POST waits for its commit before answering {@code pending}
 * @param backlogRetryAfter the {@code Retry-After} sent with 503 when the ingest queue is full or
 *     the database is unavailable
 * @param cursorSecret key for the {@code next} cursors' MAC; null picks a random one at start
 *     (cursors then do not survive a restart; clients fall back to {@code added_after})
 * @param shutdownGrace how long {@link TaxiiServer#stop()} lets requests in flight finish
 * @param processName this process among the processes serving one store, named in the pending
 *     statuses it saves (see {@code Store#processLease}); null when it is the only one
 */
public record TaxiiServerConfig(
    String bindAddress,
    int port,
    Tls tls,
    String title,
    String description,
    String contact,
    String defaultApiRoot,
    String publicBaseUrl,
    int pageSizeDefault,
    int pageSizeMax,
    Duration statusWait,
    Duration backlogRetryAfter,
    String cursorSecret,
    Duration shutdownGrace,
    String processName) {

  public TaxiiServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(statusWait, "statusWait");
    Objects.requireNonNull(backlogRetryAfter, "backlogRetryAfter");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    if (pageSizeDefault <= 0 || pageSizeMax < pageSizeDefault) {
      throw new IllegalArgumentException("need 0 < pageSizeDefault <= pageSizeMax");
    }
    if (statusWait.isNegative() || backlogRetryAfter.isNegative() || shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (publicBaseUrl != null && publicBaseUrl.endsWith("/")) {
      publicBaseUrl = publicBaseUrl.substring(0, publicBaseUrl.length() - 1);
    }
  }

  /**
   * The key store a TLS listener serves its certificate from.
   *
   * @param type e.g. {@code PKCS12}
   */
  public record Tls(Path keyStore, String password, String type) {
    public Tls {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
      return "Tls[keyStore=" + keyStore + ", type=" + type + "]";
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Optional settings with their defaults; only the title has no sensible one. */
  public static final class Builder {
    private String bindAddress = "0.0.0.0";
    private int port = 8443;
    private Tls tls;
    private String title = "Entente TAXII 2.1";
    private String description;
    private String contact;
    private String defaultApiRoot;
    private String publicBaseUrl;
    private int pageSizeDefault = 1000;
    private int pageSizeMax = 10000;
    private Duration statusWait = Duration.ofSeconds(2);
    private Duration backlogRetryAfter = Duration.ofSeconds(5);
    private String cursorSecret;
    private String processName;
    private Duration shutdownGrace = Duration.ofSeconds(5);

    private Builder() {}

    public Builder bindAddress(String v) {
      bindAddress = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder tls(Tls v) {
      tls = v;
      return this;
    }

    public Builder title(String v) {
      title = v;
      return this;
    }

    public Builder description(String v) {
      description = v;
      return this;
    }

    public Builder contact(String v) {
      contact = v;
      return this;
    }

    public Builder defaultApiRoot(String v) {
      defaultApiRoot = v;
      return this;
    }

    public Builder publicBaseUrl(String v) {
      publicBaseUrl = v;
      return this;
    }

    public Builder pageSizeDefault(int v) {
      pageSizeDefault = v;
      return this;
    }

    public Builder pageSizeMax(int v) {
      pageSizeMax = v;
      return this;
    }

    public Builder statusWait(Duration v) {
      statusWait = v;
      return this;
    }

    public Builder backlogRetryAfter(Duration v) {
      backlogRetryAfter = v;
      return this;
    }

    public Builder cursorSecret(String v) {
      cursorSecret = v;
      return this;
    }

    public Builder shutdownGrace(Duration v) {
      shutdownGrace = v;
      return this;
    }

    public Builder processName(String v) {
      processName = v;
      return this;
    }

    public TaxiiServerConfig build() {
      return new TaxiiServerConfig(
          bindAddress,
          port,
          tls,
          title,
          description,
          contact,
          defaultApiRoot,
          publicBaseUrl,
          pageSizeDefault,
          pageSizeMax,
          statusWait,
          backlogRetryAfter,
          cursorSecret,
          shutdownGrace,
          processName);
    }
  }

  @Override
  public String toString() {
    // Never print the cursor secret.
    return "TaxiiServerConfig[bind="
        + bindAddress
        + ":"
        + port
        + ", tls="
        + tls
        + ", title="
        + title
        + ", pageSize="
        + pageSizeDefault
        + "/"
        + pageSizeMax
        + ", statusWait="
        + statusWait
        + "]";
  }
}
