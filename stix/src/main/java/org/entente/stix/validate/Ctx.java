package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-call validation state: the findings so far, the object being checked and the JSON path of the
 * value being checked. The path is a reusable stack rather than strings, so nothing is built unless
 * a finding is actually reported.
 */
final class Ctx {
  private String[] keys = new String[16];
  private int[] indexes = new int[16];
  private int depth;
  private List<Finding> findings;

  /** Id of the object being checked (null when it has no usable id). */
  String objectId;

  /** Container of the deprecated observed-data {@code objects} being checked, else null. */
  JsonNode container;

  void push(String key) {
    grow();
    keys[depth] = key;
    indexes[depth] = -1;
    depth++;
  }

  void push(int index) {
    grow();
    keys[depth] = null;
    indexes[depth] = index;
    depth++;
  }

  void pop() {
    depth--;
  }

  int depth() {
    return depth;
  }

  void error(String rule, String message) {
    add(Finding.Severity.ERROR, rule, message);
  }

  void warn(String rule, String message) {
    add(Finding.Severity.WARNING, rule, message);
  }

  void errorAt(String key, String rule, String message) {
    push(key);
    error(rule, message);
    pop();
  }

  void warnAt(String key, String rule, String message) {
    push(key);
    warn(rule, message);
    pop();
  }

  List<Finding> findings() {
    return findings == null ? List.of() : findings;
  }

  /** Number of errors reported so far; lets a caller tell whether a nested check failed. */
  int errorCount() {
    if (findings == null) {
      return 0;
    }
    int n = 0;
    for (Finding f : findings) {
      if (f.severity() == Finding.Severity.ERROR) {
        n++;
      }
    }
    return n;
  }

  private void add(Finding.Severity severity, String rule, String message) {
    if (findings == null) {
      findings = new ArrayList<>(4);
    }
    findings.add(new Finding(severity, objectId, path(), rule, message));
  }

  String path() {
    StringBuilder sb = new StringBuilder("$");
    for (int i = 0; i < depth; i++) {
      String k = keys[i];
      if (k == null) {
        sb.append('[').append(indexes[i]).append(']');
      } else if (isPlain(k)) {
        sb.append('.').append(k);
      } else {
        sb.append("['").append(k.replace("'", "\\'")).append("']");
      }
    }
    return sb.toString();
  }

  private static boolean isPlain(String k) {
    if (k.isEmpty()) {
      return false;
    }
    for (int i = 0; i < k.length(); i++) {
      char c = k.charAt(i);
      if (!(c == '_'
          || c == '-'
          || (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  private void grow() {
    if (depth == keys.length) {
      keys = java.util.Arrays.copyOf(keys, depth * 2);
      indexes = java.util.Arrays.copyOf(indexes, depth * 2);
    }
  }
}
