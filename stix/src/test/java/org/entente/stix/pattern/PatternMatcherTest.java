package org.entente.stix.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The evaluator over a table: pattern, fixture, and the observed-data ids expected to take part in
 * a match (none means no match). Fixtures are in {@link MatcherFixtures}.
 */
class PatternMatcherTest {
  private static final List<JsonNode> WORLD = MatcherFixtures.world();
  private static final List<JsonNode> BEACONS = MatcherFixtures.beacons();

  private static Arguments w(String pattern, String ids) {
    return Arguments.of("world", pattern, ids);
  }

  private static Arguments b(String pattern, String ids) {
    return Arguments.of("beacons", pattern, ids);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        w(
            "[file:hashes.'SHA-256' ="
                + " 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
            "od1"),
        w(
            "[file:hashes.'SHA-256' ="
                + " 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR"
                + " file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] AND"
                + " [file:hashes.'SHA-256' ="
                + " 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
            ""),
        w(
            "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] AND [windows-registry-key:key ="
                + " 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']",
            "od1 od2"),
        w(
            "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND"
                + " email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final"
                + " Report.+\\\\.exe$']",
            "od7"),
        w(
            "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.org$' AND"
                + " email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final"
                + " Report.+\\\\.exe$']",
            ""),
        w("[email-message:body_multipart[1].body_raw_ref.name = 'Final Report 2016.exe']", "od7"),
        w("[email-message:body_multipart[0].body_raw_ref.name = 'Final Report 2016.exe']", ""),
        w("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]", "od1"),
        w("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 8.0]", ""),
        w("[file:extensions.'windows-pebinary-ext'.sections[1].entropy > 7.0]", ""),
        w("[file:extensions.'windows-pebinary-ext'.sections[0].entropy > 7.0]", "od1"),
        w("[file:extensions.'windows-pebinary-ext'.sections[2].entropy > 0]", ""),
        w("[file:extensions.'windows-pebinary-ext'.sections[-1].entropy > 0]", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd9']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'FFD8']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex = b'/9g=']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex = 'ÿØ']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex = 'ffd8']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex > h'ff']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex < h'ff']", ""),
        w("[artifact:payload_bin = 'this is a test']", "od5"),
        w("[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", "od5"),
        w("[artifact:payload_bin = h'7468697320697320612074657374']", "od5"),
        w("[artifact:payload_bin = 'dGhpcyBpcyBhIHRlc3Q=']", ""),
        w("[artifact:payload_bin != 'dGhpcyBpcyBhIHRlc3Q=']", "od5"),
        w("[artifact:payload_bin = 'this is a test ☃']", ""),
        w("[artifact:payload_bin != 'this is a test ☃']", "od5"),
        w("[artifact:payload_bin > 'this is a tes']", "od5"),
        w("[artifact:payload_bin < 'this is a tesu']", "od5"),
        w("[artifact:payload_bin MATCHES '^this']", "od5"),
        w("[artifact:payload_bin MATCHES '^dGhp']", ""),
        w("[artifact:payload_bin LIKE 'this%']", ""),
        w(
            "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
            "od4"),
        w("[network-traffic:dst_ref.value ISSUBSET '2001:db8:dead:beef::/64']", "od4"),
        w("[network-traffic:dst_ref.value ISSUBSET '2001:db8:dead:bee0::/64']", ""),
        w("[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24']", "od3"),
        w("[network-traffic:dst_ref.value ISSUBSET '198.51.100.7']", "od3"),
        w("[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/30']", ""),
        w("[network-traffic:dst_ref.value ISSUPERSET '198.51.100.7/32']", "od3"),
        w("[network-traffic:dst_ref.value ISSUPERSET '198.51.100.0/24']", ""),
        w("[network-traffic:dst_ref.value NOT ISSUBSET '10.0.0.0/8']", "od3 od4"),
        w("[network-traffic:dst_ref.value = '198.51.100.7']", "od3"),
        w("[network-traffic:dst_port = 8080]", "od11"),
        w(
            "[network-traffic:dst_port = 8080 AND network-traffic:dst_ref.value = '198.51.100.7']",
            ""),
        w("[ipv4-addr:value ISSUBSET '0.0.0.0/0']", "od3 od6"),
        w("[ipv4-addr:value ISSUBSET '198.51.100.0/31']", "od6"),
        w("[ipv4-addr:value ISSUPERSET '198.51.100.1']", "od6"),
        w("[ipv4-addr:value ISSUBSET '::/0']", ""),
        w("[ipv6-addr:value ISSUBSET '::/0']", "od4"),
        w(
            "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value ="
                + " '198.51.100.1/32']",
            "od6"),
        w(
            "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value ="
                + " '198.51.100.7']",
            ""),
        w("[domain-name:resolves_to_refs[0].value = '198.51.100.1/32']", "od6"),
        w("[domain-name:resolves_to_refs[*] = 'ipv4-addr--i5']", "od6"),
        w("[process:name IN ('proccy', 'proximus', 'badproc')]", "od8"),
        w("[process:name IN ('proximus', 'badproc')]", ""),
        w("[process:name NOT IN ('proximus', 'badproc')]", "od8"),
        w("[process:name IN ()]", ""),
        w("[process:pid IN (4, 5)]", "od8"),
        w("[process:pid IN (4.0, 5)]", "od8"),
        w("[process:pid IN ('4')]", ""),
        w("[directory:path LIKE 'C:\\\\Windows\\\\%\\\\foo']", "od1"),
        w("[directory:path LIKE 'C:\\\\Windows\\\\%\\\\bar']", ""),
        w("[directory:path LIKE 'C:\\\\Windows\\\\System__\\\\foo']", "od1"),
        w("[directory:path LIKE 'C:\\\\Windows\\\\System_\\\\foo']", ""),
        w("[directory:path LIKE 'c:\\\\windows\\\\%']", ""),
        w("[directory:path LIKE '%']", "od1"),
        w("[directory:path LIKE '%foo']", "od1"),
        w("[directory:path LIKE 'foo%']", ""),
        w("[directory:path NOT LIKE 'foo%']", "od1"),
        w("[directory:path LIKE 'C:\\\\Windows.System32%']", ""),
        w("[directory:contains_refs[*].name = 'foo.dll']", "od1"),
        w("[directory:contains_refs[*].size > 1000]", "od1"),
        w("[file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32\\\\foo']", "od1"),
        w("[file:parent_directory_ref.contains_refs[0].name = 'foo.dll']", "od1"),
        w(
            "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY"
                + " [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300"
                + " SECONDS",
            "od1 od2"),
        w(
            "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY"
                + " [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 60"
                + " SECONDS",
            ""),
        w(
            "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY"
                + " [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 60.001"
                + " SECONDS",
            "od1 od2"),
        w(
            "([windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar'] FOLLOWEDBY"
                + " [file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']) WITHIN 300 SECONDS",
            ""),
        w(
            "[file:mime_type = 'image/bmp' AND file:name = 'foo.dll'] START t'2016-06-01T00:00:00Z'"
                + " STOP t'2016-07-01T00:00:00Z'",
            "od1"),
        w(
            "[file:mime_type = 'image/bmp' AND file:name = 'foo.dll'] START t'2016-06-15T00:00:00Z'"
                + " STOP t'2016-06-15T00:00:01Z'",
            "od1"),
        w(
            "[file:mime_type = 'image/bmp' AND file:name = 'foo.dll'] START t'2016-06-14T00:00:00Z'"
                + " STOP t'2016-06-15T00:00:00Z'",
            ""),
        w(
            "[file:mime_type = 'image/bmp' AND file:name = 'foo.dll'] START"
                + " t'2016-06-15T00:00:00.001Z' STOP t'2016-07-01T00:00:00Z'",
            ""),
        w(
            "[artifact:payload_bin = 'this is a test'] START t'2016-06-01T00:00:00Z' STOP"
                + " t'2016-07-01T00:00:00Z'",
            ""),
        w(
            "[artifact:payload_bin = 'this is a test'] START t'2016-06-01T00:00:00Z' STOP"
                + " t'2016-07-01T00:00:00.001Z'",
            "od5"),
        w(
            "([file:name = 'foo.dll'] AND [windows-registry-key:key ="
                + " 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:image_ref.name = 'fooproc' OR"
                + " process:image_ref.name = 'procfoo']",
            "od1 od2 od8"),
        w(
            "([file:name = 'foo.dll'] AND [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\n"
                + "ope']) OR [process:image_ref.name = 'fooproc' OR process:image_ref.name ="
                + " 'procfoo']",
            "od8"),
        w(
            "([file:name = 'foo.dll'] AND [windows-registry-key:key ="
                + " 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:image_ref.name = 'nope']",
            "od1 od2"),
        w(
            "[EXISTS windows-registry-key:values AND windows-registry-key:key LIKE"
                + " 'HKEY_CURRENT_USER\\\\Software\\\\%']",
            "od9"),
        w("[EXISTS windows-registry-key:values]", "od9"),
        w("[NOT EXISTS windows-registry-key:values]", "od2"),
        w("[EXISTS windows-registry-key:values[0].data]", "od9"),
        w("[EXISTS windows-registry-key:values[1]]", ""),
        w("[windows-registry-key:values[*].name = 'Run']", "od9"),
        w("[EXISTS file:hashes.MD5]", "od1"),
        w("[EXISTS file:hashes.'SHA-1']", ""),
        w("[NOT EXISTS file:hashes.'SHA-1']", "od1 od7 od8"),
        w("[EXISTS file:name AND NOT EXISTS file:size]", "od7 od8"),
        w("[file:mime_type = 'image/bmp' AND file:name = 'foo.dll']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name = 'FOO.DLL']", ""),
        w("[file:name != 'foo.dll']", "od7 od8"),
        w("[file:name NOT = 'foo.dll']", "od7 od8"),
        w("[file:name NOT != 'foo.dll']", "od1"),
        w("[file:name > 'foo']", "od1 od8"),
        w("[file:name > 'foo.dll']", "od8"),
        w("[file:name >= 'foo.dll']", "od1 od8"),
        w("[file:name < 'G']", "od7"),
        w("[file:name <= 'Final Report 2016.exe']", "od7"),
        w("[file:mime_type = 'image/bmp' AND file:name = 1]", ""),
        w("[file:name != 1]", "od1 od7 od8"),
        w("[file:mime_type = 'image/bmp' AND file:name = true]", ""),
        w("[file:mime_type = 'image/bmp' AND file:name = t'2016-06-15T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size = 25536]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size = 25536.0]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size = 25536.5]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size = '25536']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size != '25536']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size > 25535.9]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size < 25536]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size <= 25536]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size >= 25537]", ""),
        w("[file:size NOT >= 25537]", "od1"),
        w("[file:size NOT < 0]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size > -1]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio = 1.5]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio > 1]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio < 2]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio = 1]", ""),
        w("[file:x_ratio IN (1, 1.5)]", "od1"),
        w("[file:is_encrypted = false]", "od1"),
        w("[file:is_encrypted = true]", ""),
        w("[file:is_encrypted != true]", "od1"),
        w("[file:is_encrypted = 'false']", ""),
        w("[file:is_encrypted = 0]", ""),
        w("[file:is_encrypted IN (false)]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime = t'2016-06-15T00:00:00Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime = t'2016-06-15T00:00:00.000Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime > t'2016-06-14T23:59:59.999Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime < t'2016-06-15T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:ctime <= t'2016-06-15T00:00:00Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime = '2016-06-15T00:00:00Z']", "od1"),
        w("[file:ctime IN (t'2016-01-01T00:00:00Z', t'2016-06-15T00:00:00Z')]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name = t'2016-06-15T00:00:00Z']", ""),
        w("[file:x_list[*] = 'b']", "od1"),
        w("[file:x_list[*] = 'd']", ""),
        w("[file:x_list[1] = 'b']", "od1"),
        w("[file:x_list[2] = 'b']", ""),
        w("[file:x_list[3] = 'b']", ""),
        w("[file:x_list[*] != 'a']", "od1"),
        w("[file:x_list[*] NOT = 'a']", "od1"),
        w("[file:x_list[0] != 'a']", ""),
        w("[file:x_list = 'a']", ""),
        w("[file:x_list[*] IN ('x', 'c')]", "od1"),
        w("[file:x_list[*] LIKE '_']", "od1"),
        w("[file:x_list[*] MATCHES '^c$']", "od1"),
        w("[file:x_uni = 'café ☃']", "od1"),
        w("[file:x_uni LIKE 'cafe%']", ""),
        w("[file:x_uni LIKE 'caf_ _']", "od1"),
        w("[file:x_uni MATCHES 'é']", "od1"),
        w("[file:x_uni > 'café']", "od1"),
        w("[file:x_uni < 'café ☄']", "od1"),
        w("[file:hashes.MD5 = '79054025255FB1A26E4BC422AEF54EB4']", ""),
        w("[file:hashes.'MD5' = '79054025255fb1a26e4bc422aef54eb4']", "od1"),
        w("[file:hashes.md5 = '79054025255fb1a26e4bc422aef54eb4']", ""),
        w("[file:hashes.MD5 LIKE '7905%']", "od1"),
        w("[file:hashes.MD5 MATCHES '^[0-9a-f]{32}$']", "od1"),
        w("[file:missing = 'x']", ""),
        w("[file:missing != 'x']", ""),
        w("[file:missing NOT = 'x']", ""),
        w("[file:missing NOT IN ('x')]", ""),
        w("[file:missing NOT LIKE 'x']", ""),
        w("[file:missing NOT MATCHES 'x']", ""),
        w("[file:hashes.MISSING != 'x']", ""),
        w("[file:name.sub = 'x']", ""),
        w("[file:name[0] = 'x']", ""),
        w("[file:x_list.sub = 'x']", ""),
        w("[url:value = 'http://example.com/foo']", "od10"),
        w("[url:value LIKE 'http://%.com/%']", "od10"),
        w("[url:value LIKE 'http://%.org/%']", ""),
        w("[url:value MATCHES 'example']", "od10"),
        w("[url:value MATCHES '^example']", ""),
        w("[url:value MATCHES '(?i)EXAMPLE']", "od10"),
        w("[url:value MATCHES 'EXAMPLE']", ""),
        w("[url:value MATCHES 'foo$']", "od10"),
        w("[url:value NOT MATCHES 'foo$']", ""),
        w("[process:command_line MATCHES 'powershell.+-enc']", "od8"),
        w("[process:command_line MATCHES 'powershell.+-noprofile']", ""),
        w("[process:name = 'proccy' AND process:pid = 4]", "od8"),
        w("[process:name = 'proccy' AND process:pid = 5]", ""),
        w("[process:name = 'proccy' OR process:pid = 5]", "od8"),
        w("[process:name = 'nope' OR process:pid = 5]", ""),
        w(
            "[(process:name = 'nope' OR process:pid = 4) AND process:image_ref.name = 'fooproc']",
            "od8"),
        w("[process:image_ref.name = 'fooproc']", "od8"),
        w("[process:image_ref = 'file--f3']", "od8"),
        w("[process:image_ref.missing = 'x']", ""),
        w("[process:parent_ref.name = 'x']", ""),
        w("[file:name = 'foo.dll' OR process:name = 'proccy']", "od1 od8"),
        w("[file:name = 'fooproc' OR windows-registry-key:key LIKE 'HKEY_%']", "od2 od8 od9"),
        w("[file:name = 'foo.dll' AND file:size = 25536 AND file:mime_type = 'image/bmp']", "od1"),
        w("[file:name = 'foo.dll' AND (file:size = 1 OR file:mime_type = 'image/bmp')]", "od1"),
        w("[file:name = 'fooproc' AND file:size = 25536]", ""),
        w("[network-traffic:protocols[*] = 'tcp']", "od3"),
        w("[network-traffic:protocols[*] = 'udp']", "od4"),
        w("[network-traffic:protocols[0] = 'ipv6']", "od4"),
        w("[network-traffic:protocols[*] = 'tcp' AND network-traffic:dst_port = 443]", "od3"),
        w("[network-traffic:src_port = 1234 AND network-traffic:dst_port = 443]", "od3"),
        w(
            "[network-traffic:dst_ref.value ISSUBSET '2001:db8::/32' AND network-traffic:dst_port ="
                + " 53]",
            "od4"),
        w(
            "[network-traffic:dst_ref.value = '198.51.100.7'] FOLLOWEDBY [network-traffic:dst_port"
                + " = 53]",
            "od3 od4"),
        w(
            "[network-traffic:dst_port = 53] FOLLOWEDBY [network-traffic:dst_ref.value ="
                + " '198.51.100.7']",
            ""),
        w(
            "[network-traffic:dst_port = 53] AND [network-traffic:dst_ref.value = '198.51.100.7']",
            "od3 od4"),
        w("[network-traffic:dst_port = 443] AND [network-traffic:dst_port = 443]", ""),
        w("[network-traffic:dst_port > 0] AND [network-traffic:dst_port > 0]", "od3 od4 od11"),
        w(
            "[network-traffic:dst_port > 0] AND [network-traffic:dst_port > 0] AND"
                + " [network-traffic:dst_port > 0]",
            "od3 od4 od11"),
        w(
            "[network-traffic:dst_port > 0] AND [network-traffic:dst_port > 0] AND"
                + " [network-traffic:dst_port > 0] AND [network-traffic:dst_port > 0]",
            ""),
        w("[network-traffic:dst_port > 0] REPEATS 3 TIMES", "od3 od4 od11"),
        w("[network-traffic:dst_port > 0] REPEATS 4 TIMES", ""),
        w("[url:value = 'http://example.com/foo'] REPEATS 3 TIMES", "od10"),
        w("[url:value = 'http://example.com/foo'] REPEATS 4 TIMES", ""),
        w(
            "[url:value = 'http://example.com/foo'] AND [url:value = 'http://example.com/foo']",
            "od10"),
        w(
            "[url:value = 'http://example.com/foo'] FOLLOWEDBY [url:value ="
                + " 'http://example.com/foo']",
            "od10"),
        w("[url:value = 'http://example.com/foo'] REPEATS 2 TIMES WITHIN 5 SECONDS", "od10"),
        w("[url:value = 'http://example.com/foo'] REPEATS 2 TIMES WITHIN 11 SECONDS", "od10"),
        w("[url:value = 'http://example.com/foo'] WITHIN 1 SECONDS", "od10"),
        w(
            "[file:mime_type = 'image/bmp' AND file:name = 'foo.dll'] OR [file:name = 'nope']",
            "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name = 'nope'] OR [file:name = 'nope2']", ""),
        w("[file:name = 'foo.dll'] AND [file:name = 'nope']", ""),
        w("[file:name = 'foo.dll'] FOLLOWEDBY [process:name = 'proccy']", "od1 od8"),
        w("[process:name = 'proccy'] FOLLOWEDBY [file:name = 'foo.dll']", ""),
        w(
            "[file:mime_type = 'image/bmp' AND file:name = 'foo.dll'] FOLLOWEDBY [file:name ="
                + " 'foo.dll']",
            ""),
        w(
            "[file:name = 'foo.dll'] FOLLOWEDBY [windows-registry-key:key LIKE '%'] FOLLOWEDBY"
                + " [process:pid = 4]",
            "od1 od2 od8"),
        w(
            "[file:name = 'foo.dll'] FOLLOWEDBY ([windows-registry-key:key LIKE '%'] FOLLOWEDBY"
                + " [process:pid = 4])",
            "od1 od2 od8"),
        w("[file:name = 'foo.dll'] FOLLOWEDBY [windows-registry-key:key LIKE '%']", "od1 od2 od9"),
        w(
            "([file:name = 'foo.dll'] FOLLOWEDBY [windows-registry-key:key LIKE '%']) WITHIN 3600"
                + " SECONDS",
            "od1 od2"),
        w("([file:name = 'foo.dll'] AND [process:pid = 4]) WITHIN 259200 SECONDS", ""),
        w("([file:name = 'foo.dll'] AND [process:pid = 4]) WITHIN 259200.5 SECONDS", "od1 od8"),
        w("[file:name = 'foo.dll'] AND [process:pid = 4] WITHIN 1 SECONDS", "od1 od8"),
        w(
            "([file:name = 'foo.dll'] OR [process:pid = 4]) START t'2016-06-17T00:00:00Z' STOP"
                + " t'2016-06-30T00:00:00Z'",
            "od8"),
        w(
            "([file:name = 'foo.dll'] AND [process:pid = 4]) START t'2016-06-01T00:00:00Z' STOP"
                + " t'2016-06-18T00:00:00Z'",
            ""),
        w(
            "([file:name = 'foo.dll'] AND [process:pid = 4]) START t'2016-06-01T00:00:00Z' STOP"
                + " t'2016-06-18T00:00:01Z'",
            "od1 od8"),
        w(
            "[url:value LIKE '%'] START t'2016-06-20T00:00:05Z' STOP t'2016-06-21T00:00:00Z'",
            "od10"),
        w("[url:value LIKE '%'] START t'2016-06-20T00:00:11Z' STOP t'2016-06-21T00:00:00Z'", ""),
        w("[url:value LIKE '%'] START t'2016-06-19T00:00:00Z' STOP t'2016-06-20T00:00:00Z'", ""),
        w("[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'x.com']", ""),
        w("[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'www.5z8.info']", "od3 od6"),
        w(
            "[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 8080]",
            ""),
        w("[network-traffic:dst_ref.type = 'ipv4-addr']", "od3"),
        w("[network-traffic:dst_ref.type = 'ipv6-addr']", "od4"),
        w(
            "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value ="
                + " '198.51.100.7'] REPEATS 1 TIMES",
            "od3"),
        w("[x-usb-device:usbdrive.serial_number = '575833314133343231313937']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name = 'a']]", ""),
        w("not a pattern", ""),
        b(
            "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value ="
                + " 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
            "b1 b2 b3 b4 b5 b6"),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] REPEATS 6 TIMES WITHIN 1800 SECONDS",
            "b1 b2 b3 b4 b5 b6"),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] REPEATS 6 TIMES WITHIN 1500 SECONDS",
            ""),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] REPEATS 6 TIMES WITHIN 1500.001"
                + " SECONDS",
            "b1 b2 b3 b4 b5 b6"),
        b("[network-traffic:dst_ref.value = 'example.com'] REPEATS 6 TIMES", "b1 b2 b3 b4 b5 b6"),
        b("[network-traffic:dst_ref.value = 'example.com'] REPEATS 7 TIMES", ""),
        b("[network-traffic:dst_ref.value = 'example.com'] REPEATS 2 TIMES WITHIN 300 SECONDS", ""),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] REPEATS 2 TIMES WITHIN 301 SECONDS",
            "b1 b2 b3 b4 b5 b6"),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] REPEATS 3 TIMES WITHIN 601 SECONDS",
            "b1 b2 b3 b4 b5 b6"),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] START t'2020-01-01T00:05:00Z' STOP"
                + " t'2020-01-01T00:15:00Z'",
            "b2 b3"),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] REPEATS 3 TIMES START"
                + " t'2020-01-01T00:05:00Z' STOP t'2020-01-01T00:15:00Z'",
            ""),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] REPEATS 2 TIMES START"
                + " t'2020-01-01T00:05:00Z' STOP t'2020-01-01T00:15:00Z'",
            "b2 b3"),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] REPEATS 2 TIMES START"
                + " t'2020-01-01T00:05:00Z' STOP t'2020-01-01T00:15:00.001Z'",
            "b2 b3 b4"),
        b("[network-traffic:dst_ref.value = 'other.org']", "o1 twice"),
        b("[network-traffic:dst_ref.value = 'other.org'] REPEATS 3 TIMES", "o1 twice"),
        b("[network-traffic:dst_ref.value = 'other.org'] REPEATS 4 TIMES", ""),
        b(
            "[network-traffic:dst_ref.value = 'other.org'] REPEATS 2 TIMES WITHIN 60 SECONDS",
            "twice"),
        b(
            "[network-traffic:dst_ref.value = 'other.org'] REPEATS 2 TIMES WITHIN 1 SECONDS",
            "twice"),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'other.org']",
            "b1 b2 b3 b4 b5 b6 o1 twice"),
        b(
            "([network-traffic:dst_ref.value = 'example.com'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'other.org']) WITHIN 120 SECONDS",
            ""),
        b(
            "([network-traffic:dst_ref.value = 'example.com'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'other.org']) WITHIN 121 SECONDS",
            "b3 o1"),
        b(
            "([network-traffic:dst_ref.value = 'example.com'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'other.org']) WITHIN 119 SECONDS",
            ""),
        b(
            "[network-traffic:dst_ref.value = 'other.org'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'example.com']",
            "o1 b4 b5 b6"),
        b(
            "([network-traffic:dst_ref.value = 'other.org'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'example.com']) WITHIN 180 SECONDS",
            ""),
        b(
            "[network-traffic:dst_ref.value = 'other.org'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'example.com'] REPEATS 3 TIMES",
            "o1 b4 b5 b6"),
        b(
            "[network-traffic:dst_ref.value = 'other.org'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'example.com'] REPEATS 4 TIMES",
            ""),
        b(
            "([network-traffic:dst_ref.value = 'example.com'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'other.org']) REPEATS 2 TIMES",
            "b1 b2 b3 b4 b5 b6 o1 twice"),
        b(
            "([network-traffic:dst_ref.value = 'example.com'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'other.org']) REPEATS 3 TIMES",
            "b1 b2 b3 b4 b5 b6 o1 twice"),
        b(
            "([network-traffic:dst_ref.value = 'example.com'] FOLLOWEDBY"
                + " [network-traffic:dst_ref.value = 'other.org']) REPEATS 4 TIMES",
            ""),
        b(
            "([network-traffic:dst_ref.value = 'example.com'] AND [network-traffic:dst_ref.value ="
                + " 'other.org']) REPEATS 3 TIMES",
            "b1 b2 b3 b4 b5 b6 o1 twice"),
        b(
            "([network-traffic:dst_ref.value = 'example.com'] AND [network-traffic:dst_ref.value ="
                + " 'other.org']) REPEATS 3 TIMES WITHIN 3600 SECONDS",
            ""),
        b(
            "([network-traffic:dst_ref.value = 'example.com'] AND [network-traffic:dst_ref.value ="
                + " 'other.org']) REPEATS 3 TIMES WITHIN 86461 SECONDS",
            "b1 b2 b3 b4 b5 b6 o1 twice"),
        b(
            "[network-traffic:dst_ref.value = 'example.com'] AND [network-traffic:dst_ref.value ="
                + " 'other.org'] AND [network-traffic:protocols[*] = 'tcp']",
            "b1 b2 b3 b4 b5 b6 o1 twice"),
        b(
            "[network-traffic:dst_ref.value = 'nowhere'] OR [network-traffic:dst_ref.value ="
                + " 'other.org'] WITHIN 1 SECONDS",
            "o1 twice"),
        b("[domain-name:value = 'example.com'] REPEATS 6 TIMES", "b1 b2 b3 b4 b5 b6"),
        b(
            "[domain-name:value = 'example.com'] FOLLOWEDBY [domain-name:value = 'example.com']"
                + " FOLLOWEDBY [domain-name:value = 'example.com']",
            "b1 b2 b3 b4 b5 b6"),
        b(
            "([domain-name:value = 'example.com'] FOLLOWEDBY [domain-name:value = 'example.com'])"
                + " WITHIN 299 SECONDS",
            ""),
        w("[file:mime_type = 'image/bmp' AND file:size = 25536]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size != 25536]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size < 25536]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size <= 25536]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size > 25536]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size >= 25536]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size = 25537]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size != 25537]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size < 25537]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size <= 25537]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size > 25537]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size >= 25537]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size = 25535]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size != 25535]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size < 25535]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size <= 25535]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size > 25535]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size >= 25535]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size = 25536.0]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size != 25536.0]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size < 25536.0]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size <= 25536.0]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size > 25536.0]", ""),
        w("[file:mime_type = 'image/bmp' AND file:size >= 25536.0]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size = 'x']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size != 'x']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size < 'x']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size <= 'x']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size > 'x']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size >= 'x']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size = t'2016-01-01T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size != t'2016-01-01T00:00:00Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:size < t'2016-01-01T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size <= t'2016-01-01T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size > t'2016-01-01T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:size >= t'2016-01-01T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name = 'foo.dll']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name != 'foo.dll']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name < 'foo.dll']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name <= 'foo.dll']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name > 'foo.dll']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name >= 'foo.dll']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name = 'foo.dlm']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name != 'foo.dlm']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name < 'foo.dlm']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name <= 'foo.dlm']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name > 'foo.dlm']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name >= 'foo.dlm']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name = 'foo.dl']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name != 'foo.dl']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name < 'foo.dl']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name <= 'foo.dl']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name > 'foo.dl']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name >= 'foo.dl']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name = 'foo.dll ']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name != 'foo.dll ']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name < 'foo.dll ']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name <= 'foo.dll ']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name > 'foo.dll ']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name >= 'foo.dll ']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name = 5]", ""),
        w("[file:mime_type = 'image/bmp' AND file:name != 5]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name < 5]", ""),
        w("[file:mime_type = 'image/bmp' AND file:name <= 5]", ""),
        w("[file:mime_type = 'image/bmp' AND file:name > 5]", ""),
        w("[file:mime_type = 'image/bmp' AND file:name >= 5]", ""),
        w("[file:mime_type = 'image/bmp' AND file:name = h'666f6f2e646c6c']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name != h'666f6f2e646c6c']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name < h'666f6f2e646c6c']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name <= h'666f6f2e646c6c']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:name > h'666f6f2e646c6c']", ""),
        w("[file:mime_type = 'image/bmp' AND file:name >= h'666f6f2e646c6c']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime = t'2016-06-15T00:00:00Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime != t'2016-06-15T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:ctime < t'2016-06-15T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:ctime <= t'2016-06-15T00:00:00Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime > t'2016-06-15T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:ctime >= t'2016-06-15T00:00:00Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime = t'2016-06-15T00:00:01Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:ctime != t'2016-06-15T00:00:01Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime < t'2016-06-15T00:00:01Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime <= t'2016-06-15T00:00:01Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime > t'2016-06-15T00:00:01Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:ctime >= t'2016-06-15T00:00:01Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:ctime = t'2016-06-14T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:ctime != t'2016-06-14T00:00:00Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime < t'2016-06-14T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:ctime <= t'2016-06-14T00:00:00Z']", ""),
        w("[file:mime_type = 'image/bmp' AND file:ctime > t'2016-06-14T00:00:00Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:ctime >= t'2016-06-14T00:00:00Z']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio = 1.5]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio != 1.5]", ""),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio < 1.5]", ""),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio <= 1.5]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio > 1.5]", ""),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio >= 1.5]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio = 2]", ""),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio != 2]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio < 2]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio <= 2]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio > 2]", ""),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio >= 2]", ""),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio = -2]", ""),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio != -2]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio < -2]", ""),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio <= -2]", ""),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio > -2]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:x_ratio >= -2]", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex != h'ffd8']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex < h'ffd8']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex <= h'ffd8']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex > h'ffd8']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex >= h'ffd8']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd800']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex != h'ffd800']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex < h'ffd800']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex <= h'ffd800']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex > h'ffd800']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex >= h'ffd800']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'0fd8']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex != h'0fd8']", "od1"),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex < h'0fd8']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex <= h'0fd8']", ""),
        w("[file:mime_type = 'image/bmp' AND file:magic_number_hex > h'0fd8']", "od1"),
        w("[file:magic_number_hex >= h'0fd8']", "od1"));
  }

  @ParameterizedTest(name = "{0}: {1} -> [{2}]")
  @MethodSource("cases")
  void matches(String fixture, String pattern, String ids) {
    List<String> expected = ids.isBlank() ? List.of() : Arrays.asList(ids.trim().split(" +"));
    PatternMatcher.Result r =
        PatternMatcher.match(pattern, fixture.equals("world") ? WORLD : BEACONS);
    assertThat(r.matched()).as("matched").isEqualTo(!expected.isEmpty());
    assertThat(r.observedDataIds()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void atLeastThreeHundredCases() {
    assertThat(cases().count()).isGreaterThanOrEqualTo(300);
  }

  @Test
  void parsedPatternAndTextAgree() {
    StixPattern p = StixPattern.parse("[file:name = 'foo.dll']");
    assertThat(PatternMatcher.match(p, WORLD))
        .isEqualTo(new PatternMatcher.Result(true, List.of("od1")));
    assertThat(PatternMatcher.match(p, List.of()).matched()).isFalse();
  }
}
