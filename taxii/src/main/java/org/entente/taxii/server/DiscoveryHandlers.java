package org.entente.taxii.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import org.entente.store.ApiRoot;
import org.entente.store.Store;
import org.entente.taxii.Taxii;

/** TAXII 2.1 §4.1 server discovery and §4.2 API root information. */
final class DiscoveryHandlers {
  private final TaxiiServerConfig config;
  private final Store store;
  private final Access access;

  DiscoveryHandlers(TaxiiServerConfig config, Store store, Access access) {
    this.config = config;
    this.store = store;
    this.access = access;
  }

  /** GET /taxii2/ */
  void discovery(Context ctx) {
    ObjectNode body = Responses.object();
    body.put("title", config.title());
    if (config.description() != null) {
      body.put("description", config.description());
    }
    if (config.contact() != null) {
      body.put("contact", config.contact());
    }
    List<ApiRoot> roots = store.apiRoots().stream().filter(DiscoveryHandlers::routable).toList();
    // "default" MUST be one of api_roots: advertise it only when that root exists.
    if (config.defaultApiRoot() != null
        && roots.stream().anyMatch(r -> r.path().equals(config.defaultApiRoot()))) {
      body.put("default", url(config.defaultApiRoot()));
    }
    if (!roots.isEmpty()) {
      ArrayNode urls = body.putArray("api_roots");
      roots.forEach(r -> urls.add(url(r.path())));
    }
    Responses.send(ctx, 200, body);
  }

  /** GET {api-root}/ */
  void apiRoot(Context ctx) {
    ApiRoot root = access.apiRoot(ctx);
    ObjectNode body = Responses.object();
    body.put("title", root.title() == null ? root.path() : root.title());
    if (root.description() != null) {
      body.put("description", root.description());
    }
    body.putArray("versions").add(Taxii.MEDIA_TYPE);
    body.put("max_content_length", root.maxContentLength());
    Responses.send(ctx, 200, body);
  }

  /**
   * An API root is served as one path segment ({@code /{root}/...}); {@code taxii2} is taken by
   * discovery. Others could not be reached, so they are not advertised.
   */
  static boolean routable(ApiRoot root) {
    String p = root.path();
    return p != null
        && !p.isEmpty()
        && !p.equals("taxii2")
        && p.chars()
            .allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != '?' && c != '#' && c != '%');
  }

  /** Relative ("/api1/", exactly one leading slash) unless a public base URL is configured. */
  private String url(String path) {
    String base = config.publicBaseUrl() == null ? "" : config.publicBaseUrl();
    return base + "/" + path + "/";
  }
}
