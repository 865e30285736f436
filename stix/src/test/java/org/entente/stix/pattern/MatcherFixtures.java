package org.entente.stix.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.entente.stix.StixJson;

/** Observed-data and SCOs the evaluator tests run against; JSON written with ` for ". */
final class MatcherFixtures {
  private MatcherFixtures() {}

  static JsonNode json(String backticked) {
    try {
      return StixJson.parse(
          backticked.replace('`', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(backticked, e);
    }
  }

  static JsonNode od(String id, String first, String last, int n, String... refs) {
    StringBuilder sb = new StringBuilder("{`type`:`observed-data`,`id`:`" + id + "`,");
    sb.append("`first_observed`:`").append(first).append("`,`last_observed`:`").append(last);
    sb.append("`,`number_observed`:").append(n).append(",`object_refs`:[");
    for (int i = 0; i < refs.length; i++) {
      sb.append(i == 0 ? "`" : ",`").append(refs[i]).append('`');
    }
    return json(sb.append("]}").toString());
  }

  /** The general world: one observed-data per scenario of the spec's examples. */
  static List<JsonNode> world() {
    List<JsonNode> l = new ArrayList<>();
    l.add(
        json(
            "{`type`:`file`,`id`:`file--f1`,`name`:`foo.dll`,`size`:25536,"
                + "`hashes`:{`MD5`:`79054025255fb1a26e4bc422aef54eb4`,"
                + "`SHA-256`:`aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f`},"
                + "`mime_type`:`image/bmp`,`magic_number_hex`:`ffd8`,`is_encrypted`:false,"
                + "`ctime`:`2016-06-15T00:00:00Z`,`parent_directory_ref`:`directory--d1`,"
                + "`extensions`:{`windows-pebinary-ext`:{`sections`:[{`name`:`.text`,`entropy`:7.5},"
                + "{`name`:`.data`,`entropy`:3.0}]}},`x_list`:[`a`,`b`,`c`],`x_ratio`:1.5,`x_uni`:`caf\\u00e9"
                + " \\u2603`}"));
    l.add(
        json(
            "{`type`:`directory`,`id`:`directory--d1`,`path`:`C:\\\\Windows\\\\System32\\\\foo`,"
                + "`contains_refs`:[`file--f1`]}"));
    l.add(
        od("od1", "2016-06-15T00:00:00Z", "2016-06-15T00:00:00Z", 1, "file--f1", "directory--d1"));
    l.add(
        json(
            "{`type`:`windows-registry-key`,`id`:`windows-registry-key--k1`,"
                + "`key`:`HKEY_LOCAL_MACHINE\\\\foo\\\\bar`}"));
    l.add(od("od2", "2016-06-15T00:01:00Z", "2016-06-15T00:01:00Z", 1, "windows-registry-key--k1"));
    l.add(json("{`type`:`ipv4-addr`,`id`:`ipv4-addr--i4`,`value`:`198.51.100.7`}"));
    l.add(
        json(
            "{`type`:`network-traffic`,`id`:`network-traffic--n1`,`dst_ref`:`ipv4-addr--i4`,"
                + "`src_port`:1234,`dst_port`:443,`protocols`:[`ipv4`,`tcp`]}"));
    l.add(
        od(
            "od3",
            "2016-06-15T00:10:00Z",
            "2016-06-15T00:10:00Z",
            1,
            "network-traffic--n1",
            "ipv4-addr--i4"));
    l.add(
        json(
            "{`type`:`observed-data`,`id`:`od4`,`first_observed`:`2016-06-15T00:20:00Z`,"
                + "`last_observed`:`2016-06-15T00:20:00Z`,`number_observed`:1,`objects`:{"
                + "`0`:{`type`:`network-traffic`,`dst_ref`:`1`,`protocols`:[`ipv6`,`udp`],`dst_port`:53},"
                + "`1`:{`type`:`ipv6-addr`,`value`:`2001:0db8:dead:beef:0000:0000:0000:0001`}}}"));
    l.add(json("{`type`:`artifact`,`id`:`artifact--a1`,`payload_bin`:`dGhpcyBpcyBhIHRlc3Q=`}"));
    l.add(od("od5", "2016-07-01T00:00:00Z", "2016-07-01T00:00:00Z", 1, "artifact--a1"));
    l.add(
        json(
            "{`type`:`domain-name`,`id`:`domain-name--dn`,`value`:`www.5z8.info`,"
                + "`resolves_to_refs`:[`ipv4-addr--i5`]}"));
    l.add(json("{`type`:`ipv4-addr`,`id`:`ipv4-addr--i5`,`value`:`198.51.100.1/32`}"));
    l.add(
        od(
            "od6",
            "2016-06-16T00:00:00Z",
            "2016-06-16T00:00:00Z",
            1,
            "domain-name--dn",
            "ipv4-addr--i5"));
    l.add(json("{`type`:`email-addr`,`id`:`email-addr--e1`,`value`:`jdoe@example.com`}"));
    l.add(json("{`type`:`file`,`id`:`file--f2`,`name`:`Final Report 2016.exe`}"));
    l.add(
        json(
            "{`type`:`email-message`,`id`:`email-message--m1`,`is_multipart`:true,"
                + "`from_ref`:`email-addr--e1`,`subject`:`Your invoice`,"
                + "`body_multipart`:[{`body`:`hi`},{`body_raw_ref`:`file--f2`}]}"));
    l.add(
        od(
            "od7",
            "2016-06-17T00:00:00Z",
            "2016-06-17T00:00:00Z",
            1,
            "email-message--m1",
            "email-addr--e1",
            "file--f2"));
    l.add(json("{`type`:`file`,`id`:`file--f3`,`name`:`fooproc`}"));
    l.add(
        json(
            "{`type`:`process`,`id`:`process--p1`,`name`:`proccy`,`pid`:4,"
                + "`image_ref`:`file--f3`,`command_line`:`powershell -enc AAAA`}"));
    l.add(od("od8", "2016-06-18T00:00:00Z", "2016-06-18T00:00:00Z", 1, "process--p1", "file--f3"));
    l.add(
        json(
            "{`type`:`windows-registry-key`,`id`:`windows-registry-key--k2`,"
                + "`key`:`HKEY_CURRENT_USER\\\\Software\\\\Evil`,`values`:[{`name`:`Run`,`data`:`x.exe`}]}"));
    l.add(od("od9", "2016-06-19T00:00:00Z", "2016-06-19T00:00:00Z", 1, "windows-registry-key--k2"));
    l.add(json("{`type`:`url`,`id`:`url--u1`,`value`:`http://example.com/foo`}"));
    l.add(od("od10", "2016-06-20T00:00:00Z", "2016-06-20T00:00:10Z", 3, "url--u1"));
    // A reference outside object_refs: must count as missing.
    l.add(
        json(
            "{`type`:`network-traffic`,`id`:`network-traffic--n2`,`dst_ref`:`ipv4-addr--i4`,"
                + "`dst_port`:8080}"));
    l.add(od("od11", "2016-06-21T00:00:00Z", "2016-06-21T00:00:00Z", 1, "network-traffic--n2"));
    return l;
  }

  /** Beaconing: traffic to example.com every five minutes, b1 … b6, plus one to elsewhere. */
  static List<JsonNode> beacons() {
    List<JsonNode> l = new ArrayList<>();
    l.add(json("{`type`:`domain-name`,`id`:`domain-name--ex`,`value`:`example.com`}"));
    l.add(json("{`type`:`domain-name`,`id`:`domain-name--other`,`value`:`other.org`}"));
    l.add(
        json(
            "{`type`:`network-traffic`,`id`:`network-traffic--t1`,"
                + "`dst_ref`:`domain-name--ex`,`protocols`:[`tcp`]}"));
    l.add(
        json(
            "{`type`:`network-traffic`,`id`:`network-traffic--t2`,"
                + "`dst_ref`:`domain-name--other`,`protocols`:[`tcp`]}"));
    for (int k = 1; k <= 6; k++) {
      String t = String.format("2020-01-01T00:%02d:00Z", (k - 1) * 5);
      l.add(od("b" + k, t, t, 1, "network-traffic--t1", "domain-name--ex"));
    }
    l.add(
        od(
            "o1",
            "2020-01-01T00:12:00Z",
            "2020-01-01T00:12:00Z",
            1,
            "network-traffic--t2",
            "domain-name--other"));
    // One observed-data that stands for two sightings inside one minute.
    l.add(
        od(
            "twice",
            "2020-01-02T00:00:00Z",
            "2020-01-02T00:01:00Z",
            2,
            "network-traffic--t2",
            "domain-name--other"));
    return l;
  }
}
