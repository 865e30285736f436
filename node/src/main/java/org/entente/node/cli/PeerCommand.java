package org.entente.node.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.entente.node.admin.Administration;
import org.entente.node.admin.NewPeer;
import org.entente.node.federation.PeerStatus;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.NotFoundException;
import org.entente.store.Peer;
import org.entente.store.PeerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code entente peer add|list|remove}: the TAXII servers of other nodes this one shares with. */
@Command(
    name = "peer",
    mixinStandardHelpOptions = true,
    description =
        "Peers: remote TAXII 2.1 servers this node pulls from and/or pushes to: add, list, remove.",
    subcommands = {PeerCommand.Add.class, PeerCommand.ListPeers.class, PeerCommand.Remove.class})
public final class PeerCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say what to do: add, list or remove");
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Adds a peer: a remote TAXII 2.1 server standing for an organisation of this node.",
        "pull copies the remote collection's objects into --local-collection; push sends the"
            + " objects of the --publish collections (up to --tlp-ceiling, never RED) to it; both"
            + " does both. `serve` syncs every --interval seconds; `sync --peer NAME` syncs now.",
        "Secrets are read from stdin (one a line: the password or token first, then the"
            + " certificate password) and stored sealed with the node key (node.key)."
      })
  static final class Add extends AdminCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "e.g. cert-de")
    String name;

    @Option(
        names = "--org",
        required = true,
        paramLabel = "ORG",
        description = "the organisation the peer stands for")
    String organisation;

    @Option(
        names = "--url",
        required = true,
        paramLabel = "DISCOVERY_URL",
        description = "its TAXII discovery URL, e.g. https://taxii.cert.de/taxii2/")
    String url;

    @Option(
        names = "--api-root",
        paramLabel = "URL",
        description = "its API root URL (default: the discovery's default API root)")
    String apiRoot;

    @Option(
        names = "--collection",
        required = true,
        paramLabel = "REMOTE_ID",
        description = "the remote collection's id")
    String remoteCollection;

    @Option(
        names = "--direction",
        required = true,
        paramLabel = "DIRECTION",
        description = "pull, push or both")
    String direction;

    @Option(
        names = "--local-collection",
        paramLabel = "ID",
        description = "id or alias of the collection pulled objects go to (pull, both)")
    String localCollection;

    @Option(
        names = "--publish",
        paramLabel = "COLLECTION",
        description = "id or alias of a collection whose objects are pushed (push, both); repeat")
    List<String> publish = new ArrayList<>();

    @Option(
        names = "--interval",
        paramLabel = "SECONDS",
        description = "how often serve syncs it (default 300, at least 10)")
    Integer interval;

    @Option(
        names = "--tlp-ceiling",
        paramLabel = "LEVEL",
        description = "most restrictive level pushed: clear, green, amber, amber+strict (default)")
    String tlpCeiling;

    @Option(names = "--user", paramLabel = "U", description = "HTTP Basic user at the peer")
    String user;

    @Option(
        names = "--password-stdin",
        description = "read the --user's password from the first line of stdin")
    boolean passwordStdin;

    @Option(
        names = "--token-stdin",
        description = "read a Bearer token from the first line of stdin (instead of --user)")
    boolean tokenStdin;

    @Option(
        names = "--client-cert",
        paramLabel = "FILE.p12",
        description = "a PKCS#12 file with the client certificate and key to present (mutual TLS)")
    String clientCert;

    @Option(
        names = "--trusted-certs",
        paramLabel = "FILE.pem",
        description =
            "PEM certificates that vouch for the peer's server (a private CA); default: the JDK's")
    String trustedCerts;

    @Option(
        names = "--client-cert-password-stdin",
        description = "read the PKCS#12 file's password from the next line of stdin")
    boolean clientCertPasswordStdin;

    @Override
    int run(Session s) throws IOException {
      if (user != null && !passwordStdin) {
        throw usage("--user needs --password-stdin (the password is never an argument)");
      }
      if (passwordStdin && user == null) {
        throw usage("--password-stdin needs --user");
      }
      if (tokenStdin && (user != null || passwordStdin)) {
        throw usage("give either --user with --password-stdin or --token-stdin, not both");
      }
      if (clientCertPasswordStdin && clientCert == null) {
        throw usage("--client-cert-password-stdin needs --client-cert");
      }
      String password = null;
      String token = null;
      String certificatePassword = null;
      if (passwordStdin || tokenStdin || clientCertPasswordStdin) {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (passwordStdin) {
          password = secretLine(in, "--password-stdin", "password");
        }
        if (tokenStdin) {
          token = secretLine(in, "--token-stdin", "token");
        }
        if (clientCertPasswordStdin) {
          certificatePassword =
              secretLine(in, "--client-cert-password-stdin", "certificate password");
        }
      }
      Peer p =
          s.admin()
              .addPeer(
                  s.actor(),
                  new NewPeer(
                      name,
                      organisation,
                      url,
                      apiRoot,
                      remoteCollection,
                      direction,
                      localCollection,
                      publish,
                      interval,
                      tlpCeiling,
                      user,
                      password,
                      token,
                      clientCert,
                      certificatePassword,
                      trustedCerts));
      UnaryOperator<String> names = collectionNames(s);
      StringBuilder flow = new StringBuilder();
      if (p.direction().pulls()) {
        flow.append("into ").append(names.apply(p.localCollection()));
      }
      if (p.direction().pushes()) {
        flow.append(flow.length() > 0 ? ", " : "")
            .append("publishing ")
            .append(String.join(",", p.publishCollections().stream().map(names).toList()));
      }
      s.out()
          .printf(
              "peer %s added: %s with %s collection %s (%s), every %d s, TLP ceiling %s,"
                  + " credentials %s%n",
              p.name(),
              Administration.directionName(p.direction()),
              p.discoveryUrl(),
              p.remoteCollection(),
              flow,
              p.intervalSeconds(),
              Administration.tlpName(p.tlpCeiling()),
              p.credentials().kind());
      if (isPlainHttp(p.discoveryUrl()) || (p.apiRoot() != null && isPlainHttp(p.apiRoot()))) {
        s.err()
            .println(
                "warning: the peer is reached over plain http: its credentials and the objects"
                    + " exchanged travel unencrypted");
      }
      return 0;
    }

    private static String secretLine(BufferedReader in, String option, String what)
        throws IOException {
      String line = in.readLine();
      if (line == null || line.isEmpty()) {
        throw new IllegalArgumentException(option + ": no " + what + " on stdin");
      }
      return line;
    }

    private static boolean isPlainHttp(String url) {
      return "http".equals(URI.create(url).getScheme().toLowerCase(Locale.ROOT));
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the peers with where their sync stands (never their secrets).")
  static final class ListPeers extends AdminCommand {
    /** Errors are cut to keep the table one line a peer; `GET /admin/peers/` has them whole. */
    static final int ERROR_WIDTH = 60;

    @Override
    int run(Session s) {
      UnaryOperator<String> names = collectionNames(s);
      Table t =
          new Table(
              "NAME",
              "ORG",
              "DIRECTION",
              "URL",
              "REMOTE",
              "LOCAL",
              "PUBLISH",
              "INTERVAL",
              "LAST-SUCCESS",
              "LAST-ERROR",
              "PULLED/PUSHED");
      for (PeerStatus status : s.admin().storedPeerStatuses()) {
        Peer p = status.peer();
        PeerState st = status.state();
        t.row(
            p.name(),
            p.organisation(),
            Administration.directionName(p.direction()),
            p.discoveryUrl(),
            p.remoteCollection(),
            p.localCollection() == null ? "-" : names.apply(p.localCollection()),
            p.publishCollections().isEmpty()
                ? "-"
                : String.join(",", p.publishCollections().stream().map(names).toList()),
            p.intervalSeconds() + "s",
            time(st.lastSuccess()),
            lastError(st),
            st.pulled() + "/" + st.pushed());
      }
      t.print(s.out());
      return 0;
    }

    private static String lastError(PeerState st) {
      if (st.lastError() == null) {
        return "-";
      }
      String e = st.lastError().replaceAll("\\s+", " ").strip();
      if (e.length() > ERROR_WIDTH) {
        e = e.substring(0, ERROR_WIDTH - 3) + "...";
      }
      return time(st.lastErrorAt()) + " " + e;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Removes a peer with its sync state; the objects already exchanged stay.")
  static final class Remove extends AdminCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    int run(Session s) {
      if (!s.admin().removePeer(s.actor(), name)) {
        throw new NotFoundException("peer '" + name + "' does not exist");
      }
      s.out().printf("peer %s removed%n", name);
      return 0;
    }
  }

  /** Collection ids to what an operator calls them: the alias, else the id. */
  static UnaryOperator<String> collectionNames(AdminCommand.Session s) {
    Map<String, String> names = new HashMap<>();
    for (ApiRoot root : s.store().apiRoots()) {
      for (Collection c : s.store().collections(root.path())) {
        names.put(c.id(), c.alias() == null ? c.id() : c.alias());
      }
    }
    return id -> names.getOrDefault(id, id);
  }
}
