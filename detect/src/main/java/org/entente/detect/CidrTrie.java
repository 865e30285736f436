package org.entente.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.entente.stix.pattern.IpBlock;

/**
 * A binary prefix trie per address family: a value stored at a block is found by every address or
 * block inside it, in at most 33 (IPv4) or 129 (IPv6) steps, whatever the number of blocks.
 */
final class CidrTrie<T> {
  private final Node<T> v4 = new Node<>();
  private final Node<T> v6 = new Node<>();
  private int size;

  private static final class Node<T> {
    Node<T> zero;
    Node<T> one;
    List<T> values;
  }

  int size() {
    return size;
  }

  void add(IpBlock block, T value) {
    Node<T> n = block.v6() ? v6 : v4;
    for (int i = 0; i < block.length(); i++) {
      if (block.bit(i) == 0) {
        n = n.zero != null ? n.zero : (n.zero = new Node<>());
      } else {
        n = n.one != null ? n.one : (n.one = new Node<>());
      }
    }
    if (n.values == null) {
      n.values = new ArrayList<>(1);
    }
    n.values.add(value);
    size++;
  }

  /** Removes one occurrence of {@code value} at {@code block}, pruning emptied branches. */
  boolean remove(IpBlock block, T value) {
    return remove(block.v6() ? v6 : v4, block, 0, value);
  }

  private boolean remove(Node<T> n, IpBlock block, int depth, T value) {
    if (depth == block.length()) {
      if (n.values != null && n.values.remove(value)) {
        if (n.values.isEmpty()) {
          n.values = null;
        }
        size--;
        return true;
      }
      return false;
    }
    boolean zero = block.bit(depth) == 0;
    Node<T> child = zero ? n.zero : n.one;
    if (child == null || !remove(child, block, depth + 1, value)) {
      return false;
    }
    if (child.values == null && child.zero == null && child.one == null) {
      if (zero) {
        n.zero = null;
      } else {
        n.one = null;
      }
    }
    return true;
  }

  /** Calls {@code sink} with every value stored at a block that contains {@code probe}. */
  void forEachContaining(IpBlock probe, Consumer<T> sink) {
    Node<T> n = probe.v6() ? v6 : v4;
    for (int i = 0; ; i++) {
      if (n.values != null) {
        n.values.forEach(sink);
      }
      if (i == probe.length()) {
        return;
      }
      n = probe.bit(i) == 0 ? n.zero : n.one;
      if (n == null) {
        return;
      }
    }
  }
}
