package org.entente.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.entente.node.federation.SecretSeal;
import org.entente.stix.marking.Tlp;
import org.entente.store.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every process of a node must hold the node key its peers' credentials are sealed with: a node
 * started with another key refuses to start once peers exist (it could open none of their secrets),
 * and takes the new key as the node's while there are none.
 */
class NodeKeyTest {
  private static final Map<String, String> ENV = Map.of("ENTENTE_ADMIN_PASSWORD", "node-key-pw");

  @TempDir Path dir;

  private NodeConfig config() {
    return NodeConfig.defaults().withDataDir(dir).withListen("127.0.0.1", 0);
  }

  @Test
  void aNodeWithAnotherKeyRefusesToStartOncePeersExist() throws Exception {
    try (Node node = Node.start(config(), ENV)) {
      assertThat(node.store().setting(Node.NODE_KEY_FINGERPRINT))
          .contains(SecretSeal.of(dir).fingerprint());
    }
    // No peer yet: a replaced key becomes the node's.
    replaceKey();
    try (Node node = Node.start(config(), ENV)) {
      assertThat(node.store().setting(Node.NODE_KEY_FINGERPRINT))
          .contains(SecretSeal.of(dir).fingerprint());
      String defaults = node.store().collection("api", "default").orElseThrow().id();
      node.store()
          .write(
              tx -> {
                tx.createPeer(
                    new Peer(
                        "cert-xx",
                        node.store().organisations().get(0).name(),
                        "https://taxii.example.org/taxii2/",
                        null,
                        "inbox",
                        Peer.Direction.PULL,
                        3600,
                        defaults,
                        List.of(),
                        Tlp.AMBER_STRICT,
                        Peer.PeerCredentials.NONE,
                        null,
                        Instant.now()));
                return null;
              });
    }
    // With a peer, another key would fail every sync: the node says so and does not start.
    Path original = dir.resolve("node.key.original");
    Files.copy(dir.resolve("node.key"), original);
    replaceKey();
    assertThatThrownBy(() -> Node.start(config(), ENV))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node.key")
        .hasMessageContaining("copy node.key");
    // The right key back: it starts.
    Files.copy(
        original, dir.resolve("node.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (Node node = Node.start(config(), ENV)) {
      assertThat(node.store().peers()).hasSize(1);
    }
  }

  private void replaceKey() throws Exception {
    Files.delete(dir.resolve("node.key"));
    SecretSeal.of(dir); // makes a new one
  }
}
