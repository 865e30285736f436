package org.entente.stix.pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The parser over a table of valid and invalid patterns, including every PATTERNING.md example. */
class StixPatternParserTest {

  static List<String> valid() {
    return List.of(
        "[file:hashes.'SHA-256' ="
            + " 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        "[file:hashes.'SHA-256' ="
            + " 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR"
            + " file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] AND [file:hashes.'SHA-256' ="
            + " 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND"
            + " email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final"
            + " Report.+\\\\.exe$']",
        "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
        "[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']",
        "[artifact:payload_bin = 'this is a test']",
        "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
        "[artifact:payload_bin = h'7468697320697320612074657374']",
        "[artifact:payload_bin = 'dGhpcyBpcyBhIHRlc3Q=']",
        "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
        "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value ="
            + " '198.51.100.1/32']",
        "[process:name IN ('proccy', 'proximus', 'badproc')]",
        "[directory:path LIKE 'C:\\\\Windows\\\\%\\\\foo']",
        "([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY"
            + " [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) WITHIN 300"
            + " SECONDS",
        "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value ="
            + " 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
        "[file:name = 'foo.dll'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
        "([file:name = 'foo.dll'] AND [windows-registry-key:key ="
            + " 'HKEY_LOCAL_MACHINE\\\\foo\\\\bar']) OR [process:image_ref.name = 'fooproc' OR"
            + " process:image_ref.name = 'procfoo']",
        "[EXISTS windows-registry-key:values AND windows-registry-key:key LIKE"
            + " 'HKEY_CURRENT_USER\\\\Software\\\\%']",
        "[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'x.com']",
        "[x-usb-device:usbdrive.serial_number = '575833314133343231313937']",
        "[network-traffic:dst_ref.value = '203.0.113.33/32']",
        "[directory:contains_refs[*].name = 'evil.exe']",
        "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']",
        "[file:name = 'b'] FOLLOWEDBY [file:name = 'c'] REPEATS 5 TIMES",
        "([file:name = 'b'] FOLLOWEDBY [file:name = 'c']) REPEATS 5 TIMES",
        "([file:name = 'a'] AND [file:name = 'b']) REPEATS 5 TIMES WITHIN 300 SECONDS",
        "[ipv4-addr:value = '198.51.100.1']",
        "[ipv4-addr:value = '198.51.100.1/32']",
        "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
        "[ipv4-addr:value ISSUPERSET '198.51.100.7']",
        "[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']",
        "[ipv4-addr:value NOT ISSUPERSET '10.0.0.0/8']",
        "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
        "[ipv6-addr:value ISSUBSET '::ffff:192.0.2.1']",
        "[ipv6-addr:value ISSUBSET '::/0']",
        "[ipv6-addr:value ISSUPERSET '::1']",
        "[url:value = 'http://example.com/foo']",
        "[url:value LIKE 'http://%.example.com/%']",
        "[url:value NOT LIKE 'https://%']",
        "[url:value MATCHES '^https?://']",
        "[url:value NOT MATCHES 'ftp']",
        "[domain-name:value = 'example.com']",
        "[domain-name:value == 'example.com']",
        "[domain-name:value != 'example.com']",
        "[domain-name:value <> 'example.com']",
        "[domain-name:value NOT = 'example.com']",
        "[domain-name:value NOT != 'example.com']",
        "[domain-name:value NOT IN ('a.com', 'b.com')]",
        "[domain-name:value IN ()]",
        "[domain-name:value IN ('only.com')]",
        "[file:size = 25536]",
        "[file:size > 0]",
        "[file:size >= 1024]",
        "[file:size < 1048576]",
        "[file:size <= 1048576]",
        "[file:size NOT > 100]",
        "[file:size NOT < 100]",
        "[file:size NOT <= 100]",
        "[file:size NOT >= 100]",
        "[file:size = -1]",
        "[file:size = +25]",
        "[file:size IN (1, 2.5, 3)]",
        "[file:size IN (-1, -2)]",
        "[file:size > 0.5]",
        "[file:size > .5]",
        "[file:size > -.5]",
        "[file:size > +0.5]",
        "[file:size > -0.5]",
        "[file:size = 0]",
        "[file:size = -0]",
        "[file:is_encrypted = true]",
        "[file:is_encrypted = false]",
        "[file:is_encrypted != true]",
        "[file:is_encrypted IN (true, false)]",
        "[file:created = t'2014-01-13T07:03:17Z']",
        "[file:created > t'2014-01-13T07:03:17.123Z']",
        "[file:created <= t'2014-01-13T07:03:17.123456789Z']",
        "[file:created IN (t'2014-01-13T07:03:17Z', t'2015-01-13T07:03:17Z')]",
        "[file:created < t'2016-12-31T23:59:60Z']",
        "[file:created > t'2016-02-29T00:00:00Z']",
        "[artifact:payload_bin = b'AA==']",
        "[artifact:payload_bin = b'AAA=']",
        "[artifact:payload_bin = b'AAAA']",
        "[artifact:payload_bin > b'AAAA']",
        "[artifact:payload_bin = h'']",
        "[artifact:payload_bin = h'00FFaa']",
        "[artifact:payload_bin < h'ff']",
        "[artifact:payload_bin IN (h'00', h'01')]",
        "[artifact:payload_bin IN (b'AA==', b'AQ==')]",
        "[artifact:payload_bin MATCHES '^\\\\x4d\\\\x5a']",
        "[file:name = '']",
        "[file:name = 'it\\'s']",
        "[file:name = 'back\\\\slash']",
        "[file:name = '\\\\\\\\server\\\\share']",
        "[file:name = 'ünïcödé ☃']",
        "[file:name = 'a\"b']",
        "[file:name = 'line\nbreak']",
        "[file:name LIKE 'a_b%']",
        "[file:name MATCHES '(?i)^invoice.*\\\\.pdf$']",
        "[file:name MATCHES '[a-z]+\\\\d{3}']",
        "[file:name MATCHES '']",
        "[file:parent_directory_ref.path = 'C:\\\\Windows']",
        "[file:contains_refs[0].name = 'x']",
        "[file:contains_refs[-1].name = 'x']",
        "[file:contains_refs[12].name = 'x']",
        "[file:contains_refs[+1].name = 'x']",
        "[file:hashes.'SHA-1' = '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12']",
        "[file:hashes.'SHA-512' ="
            + " 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e']",
        "[file:hashes.'SHA3-256' ="
            + " 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a']",
        "[file:hashes.TLSH = 'T1A2B3']",
        "[file:hashes.SSDEEP = '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C']",
        "[file:hashes.md5 = 'anything']",
        "[file:hashes.MD5 LIKE '79054025%']",
        "[file:extensions.'ntfs-ext'.alternate_data_streams[*].name = 'evil']",
        "[file:extensions.'archive-ext'.contains_refs[*].hashes.MD5 ="
            + " '79054025255fb1a26e4bc422aef54eb4']",
        "[file:'name' = 'quoted first property']",
        "[file:hashes.'MD5' = '79054025255fb1a26e4bc422aef54eb4']",
        "[file:x_custom.'a.b'.c = 1]",
        "[file:x_custom.'' = 1]",
        "[file:x_custom.'with space' = 1]",
        "[file:x_custom.'it\\'s' = 1]",
        "[file:x_custom.AND_not = 1]",
        "[file:x_custom.'AND' = 1]",
        "[file:x_custom.'true' = 1]",
        "[file:x_custom._under = 1]",
        "[file:x_custom.CamelCase = 1]",
        "[file:x_custom.a1 = 1]",
        "[file:id = 'file--5e4fa8ab-ccad-4fd4-9d3f-64ba92c53e6f']",
        "[windows-registry-key:values[*].data = 'x']",
        "[windows-registry-key:values[0].name = 'Run']",
        "[x509-certificate:issuer = 'CN=Evil' AND x509-certificate:serial_number = '01']",
        "[user-account:account_login = 'root' AND user-account:is_privileged = true]",
        "[process:pid = 4 OR process:name = 'System']",
        "[process:command_line MATCHES 'powershell.+-enc']",
        "[process:parent_ref.name = 'winword.exe' AND process:name = 'cmd.exe']",
        "[mutex:name = 'Global\\\\evil']",
        "[software:cpe = 'cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*']",
        "[autonomous-system:number = 64496]",
        "[mac-addr:value = 'd2:fb:49:24:37:18']",
        "[email-addr:value = 'jdoe@example.com']",
        "[email-message:subject LIKE '%invoice%' AND email-message:is_multipart = false]",
        "[email-message:to_refs[*].value = 'a@b.c' OR email-message:cc_refs[*].value = 'a@b.c']",
        "[network-traffic:src_port = 1234 AND network-traffic:dst_port = 443]",
        "[network-traffic:protocols[*] = 'tcp']",
        "[network-traffic:protocols[0] = 'ipv4']",
        "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'evil']",
        "[network-traffic:start > t'2016-01-01T00:00:00Z' AND network-traffic:end <"
            + " t'2016-01-02T00:00:00Z']",
        "[(file:name = 'a' OR file:name = 'b') AND file:size > 10]",
        "[file:name = 'a' OR (file:name = 'b' AND file:size > 10)]",
        "[((file:name = 'a'))]",
        "[file:name = 'a' AND (file:size = 1 OR file:size = 2) AND file:size != 3]",
        "[file:name = 'a' OR file:name = 'b' OR file:name = 'c']",
        "[file:name = 'a' AND file:size = 1 OR file:name = 'b' AND file:size = 2]",
        "[file:name = 'a' OR ipv4-addr:value = '1.2.3.4']",
        "[(file:name = 'a' OR ipv4-addr:value = '1.2.3.4') AND file:size = 1]",
        "[NOT EXISTS file:hashes.MD5]",
        "[EXISTS file:hashes]",
        "[EXISTS file:name AND NOT EXISTS file:size]",
        "[file:name = 'a'] AND [file:name = 'b']",
        "[file:name = 'a'] OR [file:name = 'b']",
        "[file:name = 'a'] FOLLOWEDBY [file:name = 'b']",
        "[file:name = 'a'] AND [file:name = 'b'] OR [file:name = 'c']",
        "[file:name = 'a'] OR [file:name = 'b'] AND [file:name = 'c']",
        "[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] OR [file:name = 'c']",
        "[file:name = 'a'] OR [file:name = 'b'] FOLLOWEDBY [file:name = 'c']",
        "[file:name = 'a'] AND ([file:name = 'b'] OR [file:name = 'c'])",
        "[file:name = 'a'] FOLLOWEDBY ([file:name = 'b'] FOLLOWEDBY [file:name = 'c'])",
        "([file:name = 'a'] FOLLOWEDBY [file:name = 'b']) FOLLOWEDBY [file:name = 'c']",
        "(([file:name = 'a']))",
        "([file:name = 'a'])",
        "([file:name = 'a']) WITHIN 5 SECONDS",
        "[file:name = 'a'] WITHIN 5 SECONDS",
        "[file:name = 'a'] WITHIN 0.5 SECONDS",
        "[file:name = 'a'] WITHIN .5 SECONDS",
        "[file:name = 'a'] WITHIN 5.0 SECONDS",
        "[file:name = 'a'] WITHIN +5 SECONDS",
        "[file:name = 'a'] REPEATS 1 TIMES",
        "[file:name = 'a'] REPEATS 10 TIMES WITHIN 60 SECONDS START t'2016-01-01T00:00:00Z' STOP"
            + " t'2016-01-02T00:00:00Z'",
        "[file:name = 'a'] START t'2016-01-01T00:00:00Z' STOP t'2016-01-01T00:00:00.001Z'",
        "[file:name = 'a'] WITHIN 5 SECONDS AND [file:name = 'b'] REPEATS 2 TIMES",
        "([file:name = 'a'] WITHIN 5 SECONDS) WITHIN 10 SECONDS",
        "([file:name = 'a'] REPEATS 2 TIMES) REPEATS 3 TIMES",
        "[file:name = 'a'] AND [file:name = 'b'] WITHIN 5 SECONDS",
        "([file:name = 'a'] AND [file:name = 'b']) WITHIN 5 SECONDS",
        "([file:name = 'a'] OR [file:name = 'b']) START t'2016-01-01T00:00:00Z' STOP"
            + " t'2017-01-01T00:00:00Z'",
        "[file:name='a']AND[file:name='b']",
        "[file:name='a'] FOLLOWEDBY[file:name='b']WITHIN 5 SECONDS",
        "  [file:name = 'a']  ",
        "[file:name = 'a']\n\tAND\n\t[file:name = 'b']",
        "[file:name = 'a'] /* a comment */ AND [file:name = 'b']",
        "[file:name = 'a'] // trailing comment",
        "/* leading */ [file:name = 'a']",
        "[ file : name = 'a' ]",
        "[file:name = 'a' ]  OR  [ file:name = 'b']",
        "[file:name = 'a']\tWITHIN\t5\tSECONDS",
        "[file:name = 'a'] AND [file:name = 'b'] AND [file:name = 'c'] AND [file:name = 'd']",
        "[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] FOLLOWEDBY [file:name = 'c']",
        "[x-custom-object:x_prop = 'a']",
        "[x-c:abc = 1]",
        "[abc-:abc = 1]",
        "[a1b:abc = 1]",
        "[file:abc = 9223372036854775807]",
        "[file:abc = -9223372036854775808]",
        "[file:abc = 123456789012345678901234567890.5]",
        "  [file:name = 'a']  ");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        bad("", 1, 1, "expected '[' or '('"),
        bad("   ", 1, 4, "expected '[' or '('"),
        bad("/* only a comment */", 1, 21, "expected '[' or '('"),
        bad("file:name = 'a'", 1, 1, "expected '[' or '('"),
        bad("not a pattern", 1, 1, "expected '[' or '('"),
        bad("[]", 1, 2, "empty observation expression"),
        bad("[domain-name:value = 'evil.example'", 1, 36, "expected ']' or AND/OR"),
        bad("[domain-name:value = 'evil.example]", 1, 22, "unterminated string"),
        bad("([domain-name:value = 'x']", 1, 27, "expected ')'"),
        bad("[domain-name:value = 'x'])", 1, 26, "expected AND, OR, FOLLOWEDBY"),
        bad("[file:name = 'a'] FOLLOWEDBY", 1, 29, "expected '[' or '('"),
        bad("[file:name = 'a'] AND", 1, 22, "expected '[' or '('"),
        bad("[file:name = 'a'] OR", 1, 21, "expected '[' or '('"),
        bad("[file:name = 'a'] [file:name = 'b']", 1, 19, "expected AND, OR, FOLLOWEDBY"),
        bad(
            "[file:name = 'a' FOLLOWEDBY file:name = 'b']",
            1,
            18,
            "expected ']' or AND/OR but found 'FOLLOWEDBY'"),
        bad("[file:name = 'a'] and [file:name = 'b']", 1, 19, "expected AND, OR, FOLLOWEDBY"),
        bad("[file:name = 'a'] or [file:name = 'b']", 1, 19, "expected AND, OR, FOLLOWEDBY"),
        bad(
            "[file:name = 'a'] followedby [file:name = 'b']",
            1,
            19,
            "expected AND, OR, FOLLOWEDBY"),
        bad("[file:name = 'a' and file:size = 1]", 1, 18, "expected ']' or AND/OR"),
        bad("[file:name like 'a']", 1, 12, "comparison operator"),
        bad("[file:name Like 'a']", 1, 12, "comparison operator"),
        bad("[file:name matches 'a']", 1, 12, "comparison operator"),
        bad("[file:name in ('a')]", 1, 12, "comparison operator"),
        bad("[file:name not = 'a']", 1, 12, "comparison operator"),
        bad("[exists file:name]", 1, 9, "expected ':' after the object type"),
        bad("[file:name = TRUE]", 1, 14, "expected a constant"),
        bad("[file:name = True]", 1, 14, "expected a constant"),
        bad("[file:name = 'a'] within 5 seconds", 1, 19, "expected AND, OR, FOLLOWEDBY"),
        bad("[file:name = 'a'] WITHIN 5 seconds", 1, 28, "expected SECONDS"),
        bad("[file:name = 'a'] WITHIN 5 MINUTES", 1, 28, "expected SECONDS"),
        bad("[file:name = 'a'] WITHIN 5", 1, 27, "expected SECONDS"),
        bad("[file:name = 'a'] WITHIN SECONDS", 1, 26, "positive number of seconds"),
        bad("[file:name = 'a'] WITHIN 0 SECONDS", 1, 26, "positive number of seconds"),
        bad("[file:name = 'a'] WITHIN 0.0 SECONDS", 1, 26, "positive number of seconds"),
        bad("[file:name = 'a'] WITHIN -5 SECONDS", 1, 26, "positive number of seconds"),
        bad("[file:name = 'a'] WITHIN '5' SECONDS", 1, 26, "positive number of seconds"),
        bad("[file:name = 'a'] REPEATS 0 TIMES", 1, 27, "positive integer"),
        bad("[file:name = 'a'] REPEATS -1 TIMES", 1, 27, "positive integer"),
        bad("[file:name = 'a'] REPEATS 1.5 TIMES", 1, 27, "positive integer"),
        bad("[file:name = 'a'] REPEATS 5", 1, 28, "expected TIMES"),
        bad("[file:name = 'a'] REPEATS TIMES", 1, 27, "positive integer"),
        bad("[file:name = 'a'] REPEATS 5 times", 1, 29, "expected TIMES"),
        bad("[file:name = 'a'] START t'2016-01-01T00:00:00Z'", 1, 48, "expected STOP"),
        bad("[file:name = 'a'] START t'2016-01-01T00:00:00Z' STOP", 1, 53, "expected a timestamp"),
        bad(
            "[file:name = 'a'] START '2016-01-01T00:00:00Z' STOP '2016-02-01T00:00:00Z'",
            1,
            25,
            "expected a timestamp"),
        bad(
            "[file:name = 'a'] START t'2016-02-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'",
            1,
            54,
            "must be later than START"),
        bad(
            "[file:name = 'a'] START t'2016-01-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'",
            1,
            54,
            "must be later than START"),
        bad(
            "[file:name = 'a'] STOP t'2016-01-01T00:00:00Z'",
            1,
            19,
            "expected AND, OR, FOLLOWEDBY"),
        bad("[file:name = 'a'] WITHIN 5 SECONDS WITHIN 6 SECONDS", 1, 36, "duplicate qualifier"),
        bad("[file:name = 'a'] REPEATS 2 TIMES REPEATS 3 TIMES", 1, 35, "duplicate qualifier"),
        bad(
            "[file:name = 'a'] START t'2016-01-01T00:00:00Z' STOP t'2016-02-01T00:00:00Z' START"
                + " t'2016-01-01T00:00:00Z' STOP t'2016-02-01T00:00:00Z'",
            1,
            78,
            "duplicate qualifier"),
        bad(
            "[file:name = 'a'] REPEATS 2 TIMES WITHIN 5 SECONDS REPEATS 3 TIMES",
            1,
            52,
            "duplicate qualifier"),
        bad("[file:name = 'a'] LAST 5 SECONDS", 1, 19, "expected AND, OR, FOLLOWEDBY"),
        bad("[file:name = 'a'] WITHIN 5 SECONDS AND", 1, 39, "expected '[' or '('"),
        bad("[file:name = 'a' WITHIN 5 SECONDS]", 1, 18, "expected ']' or AND/OR"),
        bad("[file:name]", 1, 11, "comparison operator"),
        bad("[file:name =]", 1, 13, "expected a constant"),
        bad("[file:name = ]", 1, 14, "expected a constant"),
        bad("[= 'a']", 1, 2, "expected an object path"),
        bad("[file = 'a']", 1, 7, "expected ':' after the object type"),
        bad("[file: = 'a']", 1, 8, "expected a property name"),
        bad("[file:name. = 'a']", 1, 13, "expected a property name or key"),
        bad("[file:.name = 'a']", 1, 7, "expected a property name"),
        bad("[:name = 'a']", 1, 2, "expected an object path"),
        bad("[file:hashes.SHA-256 = 'x']", 1, 14, "contains '-'"),
        bad("[file:hashes..MD5 = 'x']", 1, 14, "expected a property name or key"),
        bad("[file:hashes.5 = 'x']", 1, 13, "must be quoted"),
        bad("[file:x_list[] = 'x']", 1, 14, "expected a list index or '*'"),
        bad("[file:x_list[a] = 'x']", 1, 14, "expected a list index or '*'"),
        bad("[file:x_list[1.5] = 'x']", 1, 14, "expected a list index or '*'"),
        bad("[file:x_list['1'] = 'x']", 1, 14, "expected a list index or '*'"),
        bad("[file:x_list[1 = 'x']", 1, 16, "expected ']' after the list index"),
        bad("[file:x_list[*.name = 'x']", 1, 15, "expected ']' after the list index"),
        bad("[File:name = 'a']", 1, 2, "invalid object type"),
        bad("[FILE:name = 'a']", 1, 2, "invalid object type"),
        bad("[fi:name = 'a']", 1, 2, "invalid object type"),
        bad("[x--y:name = 'a']", 1, 2, "invalid object type"),
        bad("[x_y:name = 'a']", 1, 2, "invalid object type"),
        bad("[-abc:abc = 1]", 1, 2, "expected a number after '-'"),
        bad("[file:Name = 'a']", 1, 7, "invalid property name"),
        bad("[file:na = 'a']", 1, 7, "invalid property name"),
        bad("[file:'na-me' = 'a']", 1, 7, "invalid property name"),
        bad("[file:x = 'a']", 1, 7, "invalid property name"),
        bad("[file:name-x = 'a']", 1, 7, "contains '-'"),
        bad("[file:name = \"a\"]", 1, 14, "unexpected character '\"'"),
        bad("[file:name = 'a\\nb']", 1, 16, "invalid escape"),
        bad("[file:name = 'a\\\"b']", 1, 16, "invalid escape"),
        bad("[file:name = 'a\\']", 1, 14, "unterminated string"),
        bad("[file:name = 'a' 'b']", 1, 18, "expected ']' or AND/OR"),
        bad("[file:name = a]", 1, 14, "expected a constant"),
        bad("[file:name = 'a'] AND", 1, 22, "expected '[' or '('"),
        bad("[file:size = 01]", 1, 14, "leading zeros"),
        bad("[file:size = 007]", 1, 14, "leading zeros"),
        bad("[file:size = 1.]", 1, 15, "a float needs digits after '.'"),
        bad("[file:size = 1e5]", 1, 15, "expected ']' or AND/OR"),
        bad("[file:size = - 5]", 1, 14, "expected a number after '-'"),
        bad("[file:size = --5]", 1, 14, "expected a number after '-'"),
        bad("[file:size = 99999999999999999999]", 1, 14, "integer out of range"),
        bad("[file:size > true]", 1, 14, "booleans cannot be compared"),
        bad("[file:size < false]", 1, 14, "booleans cannot be compared"),
        bad("[file:created = t'2016-01-01']", 1, 17, "invalid timestamp"),
        bad("[file:created = t'2016-01-01T00:00:00']", 1, 17, "invalid timestamp"),
        bad("[file:created = t'2016-01-01 00:00:00Z']", 1, 17, "invalid timestamp"),
        bad("[file:created = t'2016-13-01T00:00:00Z']", 1, 17, "invalid timestamp"),
        bad("[file:created = t'2016-02-30T00:00:00Z']", 1, 17, "invalid timestamp"),
        bad("[file:created = t'2015-02-29T00:00:00Z']", 1, 17, "invalid timestamp"),
        bad("[file:created = t'2016-01-01T24:00:00Z']", 1, 17, "invalid timestamp"),
        bad("[file:created = t'2016-01-01T00:60:00Z']", 1, 17, "invalid timestamp"),
        bad("[file:created = t'2016-01-01T00:00:00+01:00']", 1, 17, "invalid timestamp"),
        bad("[file:created = t'2016-01-01T00:00:00.Z']", 1, 17, "invalid timestamp"),
        bad("[file:created = t'']", 1, 17, "invalid timestamp"),
        bad("[file:created = T'2016-01-01T00:00:00Z']", 1, 17, "expected a constant"),
        bad("[file:created = t '2016-01-01T00:00:00Z']", 1, 17, "expected a constant"),
        bad("[file:created = t'2016-01-01T00:00:00Z]", 1, 17, "unterminated timestamp"),
        bad("[artifact:payload_bin = b'abc']", 1, 25, "invalid base64"),
        bad("[artifact:payload_bin = b'a===']", 1, 25, "invalid base64"),
        bad("[artifact:payload_bin = b'']", 1, 25, "invalid base64"),
        bad("[artifact:payload_bin = b'AB=C']", 1, 25, "invalid base64"),
        bad("[artifact:payload_bin = b'AB CD']", 1, 25, "invalid base64"),
        bad("[artifact:payload_bin = h'f']", 1, 25, "invalid hex constant"),
        bad("[artifact:payload_bin = h'fg']", 1, 25, "invalid hex constant"),
        bad("[artifact:payload_bin = h'0x00']", 1, 25, "invalid hex constant"),
        bad("[artifact:payload_bin = h'00 11']", 1, 25, "invalid hex constant"),
        bad("[artifact:payload_bin = H'00']", 1, 25, "expected a constant"),
        bad("[file:name LIKE 5]", 1, 17, "expected a string after LIKE"),
        bad("[file:name MATCHES h'00']", 1, 20, "expected a string after MATCHES"),
        bad("[file:name MATCHES '(unclosed']", 1, 20, "regex does not compile"),
        bad("[file:name MATCHES '[a-']", 1, 20, "regex does not compile"),
        bad("[file:name MATCHES '*a']", 1, 20, "regex does not compile"),
        bad("[file:name NOT MATCHES 'a{2,1}']", 1, 24, "regex does not compile"),
        bad("[ipv4-addr:value ISSUBSET 5]", 1, 27, "expected a string after ISSUBSET"),
        bad("[ipv4-addr:value ISSUBSET 'example.com']", 1, 27, "needs an IPv4 or IPv6"),
        bad("[ipv4-addr:value ISSUBSET '10.0.0.0/33']", 1, 27, "needs an IPv4 or IPv6"),
        bad("[ipv4-addr:value ISSUBSET '256.0.0.0/8']", 1, 27, "needs an IPv4 or IPv6"),
        bad("[ipv4-addr:value ISSUBSET '10.0.0/8']", 1, 27, "needs an IPv4 or IPv6"),
        bad("[ipv4-addr:value ISSUPERSET '10.0.0.0/']", 1, 29, "needs an IPv4 or IPv6"),
        bad("[ipv6-addr:value ISSUBSET '2001:db8::1::/64']", 1, 27, "needs an IPv4 or IPv6"),
        bad("[ipv6-addr:value ISSUBSET '2001:db8::/129']", 1, 27, "needs an IPv4 or IPv6"),
        bad("[ipv6-addr:value ISSUPERSET '12345::']", 1, 29, "needs an IPv4 or IPv6"),
        bad("[process:name IN 'a']", 1, 18, "expected '(' after IN"),
        bad("[process:name IN ('a', 1)]", 1, 24, "same type"),
        bad("[process:name IN ('a', true)]", 1, 24, "same type"),
        bad("[process:name IN (1, 'a')]", 1, 22, "same type"),
        bad("[process:name IN (t'2016-01-01T00:00:00Z', 'a')]", 1, 44, "same type"),
        bad("[process:name IN (h'00', b'AA==')]", 1, 26, "same type"),
        bad("[process:name IN ('a',)]", 1, 23, "expected a constant"),
        bad("[process:name IN ('a' 'b')]", 1, 23, "expected ',' or ')'"),
        bad("[process:name IN ('a'", 1, 22, "expected ',' or ')'"),
        bad("[process:name IN (('a'))]", 1, 19, "expected a constant"),
        bad("[process:name IN ()", 1, 20, "expected ']' or AND/OR"),
        bad("[process:name = ('a', 'b')]", 1, 17, "expected a constant"),
        bad(
            "[ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'x.com']",
            1,
            1,
            "joins different object types"),
        bad(
            "[file:name = 'a' AND (ipv4-addr:value = '1.2.3.4' OR domain-name:value = 'x.com')]",
            1,
            1,
            "joins different object types"),
        bad(
            "[file:name = 'a' OR file:size = 1 AND process:pid = 4]",
            1,
            1,
            "joins different object types"),
        bad(
            "[file:name = 'a'] AND [ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'x.com']",
            1,
            23,
            "joins different object types"),
        bad("[(file:name = 'a']", 1, 18, "expected ')' or AND/OR"),
        bad("[file:name = 'a')]", 1, 17, "expected ']' or AND/OR"),
        bad("[(file:name = 'a') AND]", 1, 23, "expected an object path"),
        bad("[NOT file:name = 'a']", 1, 2, "expected an object path"),
        bad("[NOT NOT EXISTS file:name]", 1, 2, "expected an object path"),
        bad("[EXISTS]", 1, 8, "expected an object type"),
        bad("[EXISTS 'file:name']", 1, 9, "expected an object type"),
        bad("[EXISTS file]", 1, 13, "expected ':' after the object type"),
        bad("[file:name NOT NOT = 'a']", 1, 16, "comparison operator"),
        bad("[file:name NOT EXISTS]", 1, 16, "comparison operator"),
        bad("[file:name ! = 'a']", 1, 12, "did you mean '!='"),
        bad("[file:name === 'a']", 1, 14, "expected a constant"),
        bad("[file:name => 'a']", 1, 13, "expected a constant"),
        bad("[file:name =< 'a']", 1, 13, "expected a constant"),
        bad("[file:name = 'a'] /* unterminated", 1, 19, "unterminated comment"),
        bad("[file:name = 'a'] # comment", 1, 19, "unexpected character '#'"),
        bad("[file:name = 'a'] AND [file:name = 'b'] FOLLOWEDBY", 1, 51, "expected '[' or '('"),
        bad("(([file:name = 'a'])", 1, 21, "expected ')'"),
        bad("([file:name = 'a']))", 1, 20, "expected AND, OR, FOLLOWEDBY"),
        bad("()", 1, 2, "expected '[' or '('"),
        bad("([])", 1, 3, "empty observation expression"),
        bad("[file:name = 'a'] AND ()", 1, 24, "expected '[' or '('"),
        bad("[file:name = 'a'] WITHIN 5 SECONDS REPEATS", 1, 43, "positive integer"),
        bad("[file:name = 'a']\n  AND [file:name = ]", 2, 20, "expected a constant"),
        bad("[file:name = 'a']\n\n[file:name = 'b']", 3, 1, "expected AND, OR, FOLLOWEDBY"),
        bad("[file:name = 'a'\n  FOLLOWEDBY]", 2, 3, "expected ']' or AND/OR"),
        bad("[file:name =\n 'a'\n] WITHIN\n 0 SECONDS", 4, 2, "positive number of seconds"),
        bad("[file:name = 'ü'] OR [fïle:name = 'b']", 1, 24, "unexpected character 'ï'"),
        bad("[file:name = '☃'] WITHIN 0 SECONDS", 1, 26, "positive number of seconds"),
        bad("[file:name = 'a'] AND\r\n[file:size = x]", 2, 14, "expected a constant"),
        bad("[file:name = 'a'] AND\r[file:size = x]", 2, 14, "expected a constant"));
  }

  private static Arguments bad(String pattern, int line, int column, String fragment) {
    return Arguments.of(pattern, line, column, fragment);
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesAndRoundTrips(String text) {
    StixPattern p = StixPattern.parse(text);
    String canonical = p.render();
    assertThat(StixPattern.parse(canonical)).isEqualTo(p);
    // Rendering is a fixed point: the canonical text renders to itself.
    assertThat(StixPattern.parse(canonical).render()).isEqualTo(canonical);
    assertThat(p.toString()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsWithPosition(String text, int line, int column, String fragment) {
    assertThatThrownBy(() -> StixPattern.parse(text))
        .isInstanceOf(PatternSyntaxException.class)
        .hasMessageStartingWith("line " + line + ", column " + column + ": ")
        .hasMessageContaining(fragment)
        .satisfies(
            e -> {
              PatternSyntaxException pe = (PatternSyntaxException) e;
              assertThat(pe.line()).isEqualTo(line);
              assertThat(pe.column()).isEqualTo(column);
            });
  }

  @Test
  void tableSizes() {
    assertThat(valid()).hasSizeGreaterThanOrEqualTo(150);
    assertThat(invalid().count()).isGreaterThanOrEqualTo(100);
  }

  // ---- tree shape ----

  private static ObservationExpression tree(String text) {
    return StixPattern.parse(text).expression();
  }

  private static ObservationExpression.Observation obs(String name) {
    return new ObservationExpression.Observation(
        new ComparisonExpression.Comparison(
            path("file", "name"), false, Operator.EQ, new Constant.Str(name)));
  }

  private static ObjectPath path(String type, String... keys) {
    return new ObjectPath(
        type, Stream.of(keys).map(k -> (ObjectPath.Step) new ObjectPath.Key(k)).toList());
  }

  @Test
  void andBindsTighterThanOrWhichBindsTighterThanFollowedBy() {
    assertThat(tree("[file:name = 'a'] OR [file:name = 'b'] AND [file:name = 'c']"))
        .isEqualTo(
            new ObservationExpression.Or(
                obs("a"), new ObservationExpression.And(obs("b"), obs("c"))));
    assertThat(tree("[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] OR [file:name = 'c']"))
        .isEqualTo(
            new ObservationExpression.FollowedBy(
                obs("a"), new ObservationExpression.Or(obs("b"), obs("c"))));
    assertThat(tree("[file:name = 'a'] AND [file:name = 'b'] FOLLOWEDBY [file:name = 'c']"))
        .isEqualTo(
            new ObservationExpression.FollowedBy(
                new ObservationExpression.And(obs("a"), obs("b")), obs("c")));
  }

  @Test
  void operatorsAreLeftAssociative() {
    assertThat(tree("[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] FOLLOWEDBY [file:name = 'c']"))
        .isEqualTo(
            new ObservationExpression.FollowedBy(
                new ObservationExpression.FollowedBy(obs("a"), obs("b")), obs("c")));
    assertThat(
            StixPattern.parse(
                    "[file:name = 'a'] FOLLOWEDBY ([file:name = 'b'] FOLLOWEDBY [file:name = 'c'])")
                .render())
        .isEqualTo("[file:name = 'a'] FOLLOWEDBY ([file:name = 'b'] FOLLOWEDBY [file:name = 'c'])");
  }

  @Test
  void qualifiersAttachToTheUnitBeforeThem() {
    var within = new Qualifier.Within(new java.math.BigDecimal("5"));
    assertThat(tree("[file:name = 'a'] FOLLOWEDBY [file:name = 'b'] WITHIN 5 SECONDS"))
        .isEqualTo(
            new ObservationExpression.FollowedBy(
                obs("a"), new ObservationExpression.Qualified(obs("b"), within)));
    assertThat(tree("([file:name = 'a'] FOLLOWEDBY [file:name = 'b']) WITHIN 5 SECONDS"))
        .isEqualTo(
            new ObservationExpression.Qualified(
                new ObservationExpression.FollowedBy(obs("a"), obs("b")), within));
    assertThat(tree("[file:name = 'a'] REPEATS 2 TIMES WITHIN 5 SECONDS"))
        .isEqualTo(
            new ObservationExpression.Qualified(
                new ObservationExpression.Qualified(obs("a"), new Qualifier.Repeats(2)), within));
  }

  @Test
  void comparisonAndBindsTighterThanOr() {
    var c =
        ((ObservationExpression.Observation)
                tree("[file:name = 'a' OR file:name = 'b' AND file:size = 1]"))
            .comparison();
    assertThat(c).isInstanceOf(ComparisonExpression.Or.class);
    assertThat(((ComparisonExpression.Or) c).right()).isInstanceOf(ComparisonExpression.And.class);
  }

  @Test
  void pathsAndConstants() {
    var c =
        (ComparisonExpression.Comparison)
            ((ObservationExpression.Observation)
                    tree(
                        "[file:extensions.'windows-pebinary-ext'.sections[*].entropy NOT > -7.25]"))
                .comparison();
    assertThat(c.path().objectType()).isEqualTo("file");
    assertThat(c.path().steps())
        .containsExactly(
            new ObjectPath.Key("extensions"),
            new ObjectPath.Key("windows-pebinary-ext"),
            new ObjectPath.Key("sections"),
            new ObjectPath.AnyIndex(),
            new ObjectPath.Key("entropy"));
    assertThat(c.negated()).isTrue();
    assertThat(c.operator()).isEqualTo(Operator.GT);
    assertThat(c.value()).isEqualTo(new Constant.Float(new java.math.BigDecimal("-7.25")));
    var s =
        (ComparisonExpression.Comparison)
            ((ObservationExpression.Observation) tree("[file:name = 'C:\\\\it\\'s']")).comparison();
    assertThat(s.value()).isEqualTo(new Constant.Str("C:\\it's"));
    assertThat(s.render()).isEqualTo("file:name = 'C:\\\\it\\'s'");
    var t =
        (ComparisonExpression.Comparison)
            ((ObservationExpression.Observation) tree("[file:created = t'2016-12-31T23:59:60Z']"))
                .comparison();
    assertThat(((Constant.Timestamp) t.value()).instant().toString())
        .isEqualTo("2016-12-31T23:59:59.999999999Z"); // StixTimestamp folds a leap second
    var h =
        (ComparisonExpression.Comparison)
            ((ObservationExpression.Observation) tree("[artifact:payload_bin = h'ffD8']"))
                .comparison();
    assertThat(((Constant.Hex) h.value()).bytes()).containsExactly(0xff, 0xd8);
  }

  @Test
  void keywordsAsKeysAreQuotedWhenRendered() {
    assertThat(StixPattern.parse("[file:x_custom.'AND' = 1]").render())
        .isEqualTo("[file:x_custom.'AND' = 1]");
    assertThat(StixPattern.parse("[file:x_custom.'a.b'.c = 1]").render())
        .isEqualTo("[file:x_custom.'a.b'.c = 1]");
  }

  @Test
  void nestedSameQualifierKeepsParentheses() {
    String text = "([file:name = 'a'] WITHIN 5 SECONDS) WITHIN 10 SECONDS";
    assertThat(StixPattern.parse(text).render()).isEqualTo(text);
  }
}
