package org.entente.stix.validate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * language-content {@code contents}: language tag to a dictionary that mirrors the translated
 * object's properties (keys {@code ^[a-z0-9_]{3,250}$}).
 */
final class LanguageContents {
  private LanguageContents() {}

  static final Kind KIND = LanguageContents::check;

  private static void check(JsonNode v, Ctx c) {
    if (!v.isObject()) {
      Kinds.wrongType(v, c, "a dictionary of language tags");
      return;
    }
    if (v.isEmpty()) {
      c.error("empty-dict", "contents must have at least one language");
      return;
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      c.push(e.getKey());
      if (!Syntax.LANG_TAG.matcher(e.getKey()).matches()) {
        c.error("lang-tag", "'" + e.getKey() + "' is not an RFC 5646 language tag");
      }
      JsonNode content = e.getValue();
      if (!content.isObject()) {
        Kinds.wrongType(content, c, "a dictionary of translated properties");
      } else if (content.isEmpty()) {
        c.error("empty-dict", "a translation must have at least one property");
      } else {
        for (var it = content.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          if (!isContentKey(key)) {
            c.push(key);
            c.error("property-name", "'" + key + "' is not a property name (^[a-z0-9_]{3,250}$)");
            c.pop();
          }
        }
      }
      c.pop();
    }
  }

  private static boolean isContentKey(String k) {
    if (k.length() < 3 || k.length() > 250) {
      return false;
    }
    for (int i = 0; i < k.length(); i++) {
      char ch = k.charAt(i);
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) {
        return false;
      }
    }
    return true;
  }
}
