package org.entente.node;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.UUID;
import org.entente.node.auth.Secrets;
import org.entente.store.ApiToken;
import org.entente.store.Store;
import org.entente.store.User;

/** Self-made STIX objects and principals for node tests (no shared data needed). */
public final class Fixtures {
  private Fixtures() {}

  static String indicatorId() {
    return "indicator--" + UUID.randomUUID();
  }

  static String indicator(String id, String ip) {
    return """
           {"type":"indicator","spec_version":"2.1","id":"%s",\
           "created":"2026-11-27T10:00:00.000Z","modified":"2026-11-27T10:00:00.000Z",\
           "name":"C2 %s","pattern":"[ipv4-addr:value = '%s']","pattern_type":"stix",\
           "valid_from":"2026-11-27T10:00:00Z","x_entente_test":{"n":1.50}}"""
        .formatted(id, ip, ip);
  }

  private static final Instant CREATED = Instant.parse("2026-11-27T10:00:00Z");
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * Version {@code n} (1, 2, ...) of an indicator whose JSON is easy to damage: non-ASCII text and
   * escapes, numbers whose written form matters (1.50, beyond a long, an exponent), nesting and
   * nulls. Each version has a later {@code modified} (which names it) and its own name.
   */
  static String indicatorVersion(String id, int n, Random random) {
    String modified = MILLIS.format(CREATED.plusSeconds(60L * n).plusMillis(random.nextInt(1000)));
    int host = random.nextInt(250);
    return """
           {"type":"indicator","spec_version":"2.1","id":"%s",\
           "created":"2026-11-27T10:00:00.000Z","modified":"%s",\
           "name":"C2 na\u00efve \u6771\u4eac \\"v%d\\" %d \ud83d\ude00 \\\\ \u2713",\
           "description":"line one\\nline two\\t\\u0007 <b>&amp;</b> \u00e9",\
           "indicator_types":["malicious-activity"],\
           "pattern":"[ipv4-addr:value = '198.51.100.%d']","pattern_type":"stix",\
           "valid_from":"2026-11-27T10:00:00Z","labels":["fault-test","v%d"],\
           "x_entente_test":{"n":1.50,"big":123456789012345678901234567890,"tiny":-1.0E-7,\
           "zero":0.000,"deep":{"a":[1,{"b":null},true,"\u00e9"],"empty":{},"none":[]}}}"""
        .formatted(id, modified, n, random.nextInt(1_000_000), host, n);
  }

  static String envelope(Iterable<String> objects) {
    return "{\"objects\":[" + String.join(",", objects) + "]}";
  }

  /** An envelope with an observed-data of one IPv4 address at {@code time}, and that address. */
  public static String observation(String ip, String time) {
    String sco = "ipv4-addr--" + UUID.randomUUID();
    return "{\"objects\":[{\"type\":\"observed-data\",\"spec_version\":\"2.1\",\"id\":\"observed-data--"
        + UUID.randomUUID()
        + "\",\"created\":\""
        + time
        + "\",\"modified\":\""
        + time
        + "\",\"first_observed\":\""
        + time
        + "\",\"last_observed\":\""
        + time
        + "\",\"number_observed\":1,\"object_refs\":[\""
        + sco
        + "\"]},{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\""
        + sco
        + "\",\"value\":\""
        + ip
        + "\"}]}";
  }

  /** A user of {@code org} with an API token; returns the token's secret. */
  public static String token(Store store, String user, String org, User.Role role) {
    String secret = "ent_" + UUID.randomUUID();
    store.write(
        tx -> {
          tx.createUser(new User(user, org, role, null, false, null));
          tx.createToken(
              new ApiToken(
                  UUID.randomUUID().toString(),
                  user,
                  Secrets.sha256Hex(secret),
                  true,
                  null,
                  null,
                  false));
          return null;
        });
    return secret;
  }
}
