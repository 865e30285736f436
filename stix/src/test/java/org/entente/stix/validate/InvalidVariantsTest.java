package org.entente.stix.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Each case starts from a valid fixture, applies one mutation and expects an ERROR with the named
 * rule. Edits: {@code -path} removes, {@code path=json} sets (backtick = double quote).
 */
class InvalidVariantsTest {
  private static final StixValidator VALIDATOR = new StixValidator();

  record Case(String fixture, String rule, String... edits) {
    String name() {
      return fixture + " " + String.join(" ; ", edits) + " -> " + rule;
    }
  }

  static Case bad(String fixture, String rule, String... edits) {
    return new Case(fixture, rule, edits);
  }

  static final String V5_PROCESS = "`process--5e8b4c5a-1111-5a2a-8b3c-0123456789ab`";
  static final String TLP2 = "extensions." + Fixtures.TLP2_EXT;

  static final List<Case> CASES =
      List.of(
          // ---- type and id ----
          bad("campaign", "required-property", "-type"),
          bad("campaign", "property-type", "type=5"),
          bad("campaign", "type-name", "type=`Campaign`"),
          bad("custom-object", "type-name", "type=`x--widget`"),
          bad("custom-object", "type-name", "type=`action`"),
          bad("custom-object", "type-name", "type=`x-`"),
          bad("campaign", "required-property", "-id"),
          bad("campaign", "id-format", "id=`campaign--123`"),
          bad("campaign", "id-prefix", "id=`indicator--%U`"),
          bad("campaign", "id-format", "id=`Campaign--%U`"),
          bad("campaign", "id-format", "id=`campaign--00000000-0000-4000-0000-000000000000`"),
          bad("campaign", "id-format", "id=`campaign--00000000-0000-6000-8000-000000000000`"),
          bad("campaign", "id-format", "id=`campaign-%U`"),
          bad("campaign", "property-type", "id=42"),
          // ---- spec_version per object class ----
          bad("campaign", "required-property", "-spec_version"),
          bad("campaign", "spec-version", "spec_version=`2.0`"),
          bad("campaign", "spec-version", "spec_version=2.1"),
          bad("relationship", "required-property", "-spec_version"),
          bad("marking-statement", "required-property", "-spec_version"),
          bad("language-content", "required-property", "-spec_version"),
          bad("ipv4-addr", "spec-version", "spec_version=`2.0`"),
          bad("bundle", "spec-version", "spec_version=`2.1`"),
          // ---- created / modified ----
          bad("campaign", "required-property", "-created"),
          bad("campaign", "required-property", "-modified"),
          bad("sighting", "required-property", "-modified"),
          bad("extension-definition", "required-property", "-modified"),
          bad("campaign", "timestamp-precision", "created=`2024-01-02T03:04:05Z`"),
          bad("campaign", "timestamp-precision", "modified=`2024-01-02T03:04:05.6Z`"),
          bad("campaign", "modified-before-created", "modified=`2023-01-01T00:00:00.000Z`"),
          bad("campaign", "modified-before-created", "modified=`2024-01-02T03:04:05.6779Z`"),
          bad("campaign", "timestamp-format", "created=`2021-02-30T00:00:00.000Z`"),
          bad("campaign", "timestamp-format", "created=`2023-02-29T00:00:00.000Z`"),
          bad("campaign", "timestamp-format", "created=`2024-01-02 03:04:05.678Z`"),
          bad("campaign", "timestamp-format", "created=`2024-01-02T03:04:05.678+01:00`"),
          bad("campaign", "timestamp-format", "created=`2024-13-01T00:00:00.000Z`"),
          bad("campaign", "timestamp-format", "created=`2024-01-02T24:00:00.000Z`"),
          bad("campaign", "timestamp-format", "created=`2024-01-02T03:04:61.000Z`"),
          bad("campaign", "timestamp-format", "first_seen=`2023-01-01T00:00:00.Z`"),
          bad("campaign", "timestamp-format", "first_seen=`2023-01-01T00:00:00z`"),
          bad("campaign", "property-type", "created=20240102"),
          bad("campaign", "timestamp-precision", "created=`2024-01-02T03:04:05.6781234567Z`"),
          // ---- timestamp order ----
          bad("campaign", "timestamp-order", "last_seen=`2022-01-01T00:00:00Z`"),
          bad("intrusion-set", "timestamp-order", "last_seen=`2019-01-01T00:00:00Z`"),
          bad("infrastructure", "timestamp-order", "last_seen=`2022-12-31T23:59:59.999Z`"),
          bad(
              "threat-actor", "timestamp-order",
              "first_seen=`2024-01-01T00:00:00Z`", "last_seen=`2023-01-01T00:00:00Z`"),
          bad(
              "malware", "timestamp-order",
              "first_seen=`2024-01-01T00:00:00.5Z`", "last_seen=`2024-01-01T00:00:00.25Z`"),
          bad("sighting", "timestamp-order", "last_seen=`2023-12-31T00:00:00Z`"),
          bad("indicator", "timestamp-order", "valid_until=`2024-01-01T00:00:00.000Z`"),
          bad("indicator", "timestamp-order", "valid_until=`2023-01-01T00:00:00Z`"),
          bad("relationship", "timestamp-order", "stop_time=`2023-01-01T00:00:00Z`"),
          bad("observed-data", "timestamp-order", "last_observed=`2023-12-31T00:00:00Z`"),
          bad("network-traffic", "timestamp-order", "end=`2023-12-31T00:00:00Z`"),
          // ---- common properties ----
          bad("campaign", "ref-type", "created_by_ref=`campaign--%U`"),
          bad("campaign", "ref-format", "created_by_ref=`identity-x`"),
          bad("campaign", "empty-list", "labels=[]"),
          bad("campaign", "empty-list", "aliases=[]"),
          bad("campaign", "property-type", "aliases=`Winter`"),
          bad("campaign", "property-type", "aliases=[1]"),
          bad("campaign", "integer-range", "confidence=101"),
          bad("campaign", "integer-range", "confidence=-1"),
          bad("campaign", "property-type", "confidence=50.5"),
          bad("campaign", "property-type", "confidence=`50`"),
          bad("campaign", "lang-tag", "lang=`english language`"),
          bad("campaign", "property-type", "revoked=`yes`"),
          bad("campaign", "reserved-property", "severity=`high`"),
          bad("campaign", "reserved-property", "username=`x`"),
          bad("campaign", "reserved-property", "phone_number=`1`"),
          bad("campaign", "reserved-property", "phone_numbers=[`1`]"),
          bad("course-of-action", "reserved-property", "action=`do it`"),
          bad("campaign", "property-name", "Name=`x`"),
          bad("campaign", "property-name", "x=`1`"),
          bad("campaign", "property-name", "x-acme=`1`"),
          bad("campaign", "property-name", "_x_acme=`1`"),
          bad("campaign", "empty-list", "x_acme_empty=[]"),
          bad("campaign", "empty-dict", "x_acme_dict={}"),
          bad("campaign", "property-type", "x_acme_null=null"),
          bad("campaign", "integer-range", "x_acme_big=9007199254740993"),
          bad("campaign", "hex-format", "x_acme_hex=`abc`"),
          bad("campaign", "binary-format", "x_acme_bin=`not base64!`"),
          bad("campaign", "custom-property-name", "defanged=true"),
          bad("ipv4-addr", "custom-property-name", "created=`2024-01-01T00:00:00.000Z`"),
          bad("ipv4-addr", "custom-property-name", "labels=[`x`]"),
          bad(
              "ipv4-addr",
              "custom-property-name",
              "external_references=[{`source_name`:`x`,`url`:`y`}]"),
          bad("marking-statement", "custom-property-name", "modified=`2024-01-02T03:04:05.678Z`"),
          bad("marking-statement", "custom-property-name", "labels=[`x`]"),
          bad("bundle", "custom-property-name", "created=`2024-01-02T03:04:05.678Z`"),
          bad("language-content", "custom-property-name", "lang=`en`"),
          bad("extension-definition", "custom-property-name", "confidence=5"),
          bad(
              "extension-definition",
              "custom-property-name",
              "extensions={`x-acme-ext`:{`a_b`:1}}"),
          // ---- external references, kill chains ----
          bad("campaign", "empty-list", "external_references=[]"),
          bad("campaign", "external-reference", "external_references=[{`source_name`:`x`}]"),
          bad("campaign", "required-property", "external_references=[{`url`:`https://x`}]"),
          bad(
              "vulnerability",
              "external-id-format",
              "external_references[0].external_id=`CVE-21-1`"),
          bad(
              "vulnerability",
              "external-id-format",
              "external_references[0].external_id=`CVE-2021-0123x`"),
          bad(
              "vulnerability",
              "external-id-format",
              "external_references=[{`source_name`:`cve`,`url`:`https://cve.example`}]"),
          bad("attack-pattern", "external-id-format", "external_references[0].external_id=`163`"),
          bad(
              "campaign",
              "hash-algorithm",
              "external_references=[{`source_name`:`x`,`url`:`u`,`hashes`:{`FOO-1`:`ab`}}]"),
          bad(
              "campaign",
              "hash-value",
              "external_references=[{`source_name`:`x`,`url`:`u`,`hashes`:{`SHA-256`:`zz`}}]"),
          bad("campaign", "property-type", "external_references=[`x`]"),
          bad("campaign", "property-type", "external_references=[{`source_name`:7,`url`:`u`}]"),
          bad("attack-pattern", "empty-list", "kill_chain_phases=[]"),
          bad("attack-pattern", "required-property", "-kill_chain_phases[0].phase_name"),
          bad("attack-pattern", "required-property", "-kill_chain_phases[0].kill_chain_name"),
          bad("attack-pattern", "property-type", "kill_chain_phases[0].phase_name=5"),
          bad("attack-pattern", "empty-dict", "kill_chain_phases[0]={}"),
          // ---- markings applied to objects ----
          bad("campaign", "ref-type", "object_marking_refs=[`identity--%U`]"),
          bad("campaign", "empty-list", "object_marking_refs=[]"),
          bad("campaign", "ref-format", "object_marking_refs=[`TLP:RED`]"),
          bad("marking-statement", "marking-circular", "object_marking_refs=[`%ID`]"),
          bad("campaign", "granular-marking", "granular_markings=[{`selectors`:[`name`]}]"),
          bad(
              "campaign",
              "granular-marking",
              "granular_markings=[{`selectors`:[`name`],`marking_ref`:`"
                  + Fixtures.TLP_WHITE
                  + "`,`lang`:`en`}]"),
          bad(
              "campaign",
              "selector",
              "granular_markings=[{`selectors`:[`nonexistent`],`marking_ref`:`"
                  + Fixtures.TLP_WHITE
                  + "`}]"),
          bad(
              "campaign",
              "selector",
              "granular_markings=[{`selectors`:[`aliases.[5]`],`marking_ref`:`"
                  + Fixtures.TLP_WHITE
                  + "`}]"),
          bad(
              "campaign",
              "selector",
              "granular_markings=[{`selectors`:[`Name`],`marking_ref`:`"
                  + Fixtures.TLP_WHITE
                  + "`}]"),
          bad(
              "campaign",
              "selector",
              "granular_markings=[{`selectors`:[`name.[0]`],`marking_ref`:`"
                  + Fixtures.TLP_WHITE
                  + "`}]"),
          bad(
              "campaign",
              "selector",
              "granular_markings=[{`selectors`:[`aliases.x`],`marking_ref`:`"
                  + Fixtures.TLP_WHITE
                  + "`}]"),
          bad(
              "campaign",
              "empty-list",
              "granular_markings=[{`selectors`:[],`marking_ref`:`" + Fixtures.TLP_WHITE + "`}]"),
          bad(
              "campaign",
              "ref-type",
              "granular_markings=[{`selectors`:[`name`],`marking_ref`:`identity--%U`}]"),
          bad(
              "marking-statement",
              "marking-circular",
              "granular_markings=[{`selectors`:[`definition`],`marking_ref`:`%ID`}]"),
          bad("indicator-with-extensions", "lang-tag", "granular_markings[1].lang=`--`"),
          // ---- extensions ----
          bad("campaign", "empty-dict", "extensions={}"),
          bad("campaign", "property-type", "extensions=[`x`]"),
          bad("campaign", "extension-key", "extensions={`foo`:{`a_b`:`c`}}"),
          bad("campaign", "extension-key", "extensions={`Foo-ext`:{`a_b`:`c`}}"),
          bad(
              "campaign",
              "extension-key",
              "extensions={`extension-definition--1234`:{`extension_type`:`property-extension`}}"),
          bad(
              "campaign",
              "required-property",
              "extensions={`extension-definition--%U`:{`rank`:1}}"),
          bad(
              "campaign",
              "enum",
              "extensions={`extension-definition--%U`:{`extension_type`:`new-thing`}}"),
          bad(
              "campaign",
              "extension-type",
              "extensions={`extension-definition--%U`:"
                  + "{`extension_type`:`toplevel-property-extension`,`rank`:1}}"),
          bad(
              "campaign",
              "property-name",
              "extensions={`extension-definition--%U`:"
                  + "{`extension_type`:`property-extension`,`Bad`:1}}"),
          bad("file", "empty-dict", "extensions={`x-acme-ext`:{}}"),
          bad("file", "required-property", "extensions={`archive-ext`:{`comment`:`x`}}"),
          bad("file", "at-least-one", "extensions.windows-pebinary-ext={`pe_type`:`exe`}"),
          bad("file", "required-property", "-extensions.windows-pebinary-ext.pe_type"),
          bad("file", "hex-format", "extensions.windows-pebinary-ext.machine_hex=`xyz`"),
          bad(
              "file",
              "required-property",
              "extensions.ntfs-ext.alternate_data_streams=[{`size`:1}]"),
          bad(
              "file",
              "property-type",
              "extensions.windows-pebinary-ext.sections[0].entropy=`high`"),
          bad("file", "empty-dict", "extensions.windows-pebinary-ext.optional_header={}"),
          bad("file", "integer-range", "extensions.windows-pebinary-ext.number_of_sections=-4"),
          bad("file", "property-type", "extensions=`pe`"),
          bad("file", "ref-type", "extensions={`archive-ext`:{`contains_refs`:[`url--%U`]}}"),
          // ---- hashes ----
          bad("file", "hash-value", "hashes={`MD5`:`123`}"),
          bad("file", "hash-value", "hashes={`SHA-1`:`gggggggggggggggggggggggggggggggggggggggg`}"),
          bad("file", "hash-value", "hashes={`SHA-256`:`" + "a".repeat(63) + "`}"),
          bad("file", "hash-value", "hashes={`SHA-512`:`" + "a".repeat(127) + "`}"),
          bad("file", "hash-value", "hashes={`SHA3-256`:`" + "a".repeat(65) + "`}"),
          bad("file", "hash-value", "hashes={`SHA3-512`:`x`}"),
          bad("file", "hash-value", "hashes={`SSDEEP`:`bad ssdeep!`}"),
          bad("file", "hash-value", "hashes={`TLSH`:`abc`}"),
          bad("file", "hash-algorithm", "hashes={`a b`:`x`}"),
          bad("file", "hash-algorithm", "hashes={`ab`:`x`}"),
          bad("file", "empty-dict", "hashes={}"),
          bad("file", "property-type", "hashes={`MD5`:5}"),
          // ---- SCOs ----
          bad("file", "at-least-one", "-name", "-hashes"),
          bad("file", "integer-range", "size=-1"),
          bad("file", "hex-format", "magic_number_hex=`4D5`"),
          bad("file", "ref-type", "parent_directory_ref=`file--%U`"),
          bad("file", "ref-type", "content_ref=`directory--%U`"),
          bad("file", "timestamp-format", "mtime=`2024-01-01`"),
          bad("artifact", "binary-format", "payload_bin=`$$$`"),
          bad("artifact", "exactly-one", "url=`https://x`"),
          bad("artifact", "exactly-one", "-payload_bin"),
          bad("artifact", "dependent-property", "-payload_bin", "url=`https://x`", "-hashes"),
          bad("artifact", "dependent-property", "decryption_key=`k`"),
          bad("artifact", "enum", "encryption_algorithm=`rot13`"),
          bad("autonomous-system", "required-property", "-number"),
          bad("autonomous-system", "property-type", "number=`64496`"),
          bad("autonomous-system", "integer-range", "number=9007199254740992"),
          bad("directory", "required-property", "-path"),
          bad("directory", "ref-type", "contains_refs=[`ipv4-addr--%U`]"),
          bad("domain-name", "required-property", "-value"),
          bad("domain-name", "ref-type", "resolves_to_refs=[`url--%U`]"),
          bad("email-addr", "ref-type", "belongs_to_ref=`identity--%U`"),
          bad("email-addr", "required-property", "-value"),
          bad("email-message", "required-property", "-is_multipart"),
          bad("email-message", "dependent-property", "is_multipart=true"),
          bad("email-message-multipart", "dependent-property", "is_multipart=false"),
          bad(
              "email-message-multipart",
              "at-least-one",
              "body_multipart=[{`content_type`:`text/plain`}]"),
          bad("email-message-multipart", "ref-type", "body_multipart[1].body_raw_ref=`url--%U`"),
          bad("email-message", "ref-type", "to_refs=[`ipv4-addr--%U`]"),
          bad("email-message", "ref-type", "from_ref=`user-account--%U`"),
          bad("email-message", "property-type", "additional_header_fields={`X-Mailer`:5}"),
          bad("email-message", "dictionary-key", "additional_header_fields={`bad key`:`x`}"),
          bad("email-message", "timestamp-format", "date=`yesterday`"),
          bad("ipv4-addr", "required-property", "-value"),
          bad("ipv4-addr", "ref-type", "resolves_to_refs=[`domain-name--%U`]"),
          bad("ipv4-addr", "ref-type", "belongs_to_refs=[`identity--%U`]"),
          bad("ipv6-addr", "property-type", "value=6"),
          bad("mac-addr", "value-format", "value=`00:00:5E:00:53:AF`"),
          bad("mac-addr", "value-format", "value=`0:0:5e:0:53:af`"),
          bad("mutex", "required-property", "-name"),
          bad("network-traffic", "required-property", "-protocols"),
          bad("network-traffic", "empty-list", "protocols=[]"),
          bad("network-traffic", "at-least-one", "-src_ref", "-dst_ref"),
          bad("network-traffic", "integer-range", "src_port=70000"),
          bad("network-traffic", "integer-range", "dst_port=-1"),
          bad("network-traffic", "dependent-property", "is_active=true"),
          bad("network-traffic", "ref-type", "src_ref=`url--%U`"),
          bad("network-traffic", "enum", "extensions.socket-ext.address_family=`AF_FOO`"),
          bad("network-traffic", "enum", "extensions.socket-ext.socket_type=`SOCK_FOO`"),
          bad(
              "network-traffic",
              "required-property",
              "-extensions.http-request-ext.request_method"),
          bad("network-traffic", "at-least-one", "extensions.tcp-ext={`x_foo`:`1`}"),
          bad("network-traffic", "property-type", "extensions.socket-ext.options={`SO_X`:`on`}"),
          bad(
              "network-traffic",
              "required-property",
              "extensions={`icmp-ext`:{`icmp_type_hex`:`08`}}"),
          bad("process", "at-least-one", "-pid", "-command_line", "-image_ref", "-extensions"),
          bad("process", "uuid-version", "id=" + V5_PROCESS),
          bad("process", "enum", "extensions.windows-process-ext.integrity_level=`ultra`"),
          bad("process", "enum", "extensions.windows-service-ext.start_type=`AUTO`"),
          bad("process", "ref-type", "parent_ref=`file--%U`"),
          bad("process", "property-type", "pid=`1234`"),
          bad("software", "required-property", "-name"),
          bad("software", "cpe-format", "cpe=`cpe:/a:microsoft:word:2000`"),
          bad("software", "lang-tag", "languages=[`english language`]"),
          bad("url", "required-property", "-value"),
          bad(
              "user-account",
              "at-least-one",
              "-user_id",
              "-account_login",
              "-account_type",
              "-is_privileged",
              "-account_created",
              "-extensions"),
          bad("user-account", "timestamp-format", "account_created=`2020-01-01`"),
          bad("user-account", "property-type", "extensions.unix-account-ext.gid=`x`"),
          bad(
              "user-account",
              "uuid-version",
              "-user_id",
              "-account_login",
              "-account_type",
              "id=`user-account--5e8b4c5a-1111-5a2a-8b3c-0123456789ab`"),
          bad("windows-registry-key", "value-format", "key=`HKLM\\\\Software\\\\Evil`"),
          bad("windows-registry-key", "enum", "values[0].data_type=`REG_FOO`"),
          bad("windows-registry-key", "empty-list", "values=[]"),
          bad("x509-certificate", "timestamp-format", "validity_not_before=`bad`"),
          bad("x509-certificate", "empty-dict", "x509_v3_extensions={}"),
          bad("x509-certificate", "integer-range", "subject_public_key_exponent=-3"),
          bad(
              "x509-certificate",
              "at-least-one",
              "-serial_number",
              "-issuer",
              "-subject",
              "-validity_not_before",
              "-validity_not_after",
              "-x509_v3_extensions"),
          // ---- SDOs ----
          bad("attack-pattern", "required-property", "-name"),
          bad("campaign", "required-property", "-name"),
          bad("course-of-action", "required-property", "-name"),
          bad("grouping", "required-property", "-context"),
          bad("grouping", "required-property", "-object_refs"),
          bad("grouping", "ref-type", "object_refs=[`bundle--%U`]"),
          bad("grouping", "empty-list", "object_refs=[]"),
          bad("identity", "required-property", "-name"),
          bad("identity", "property-type", "sectors=`technology`"),
          bad("incident", "required-property", "-name"),
          bad("indicator", "required-property", "-pattern"),
          bad("indicator", "required-property", "-pattern_type"),
          bad("indicator", "required-property", "-valid_from"),
          bad("indicator", "pattern-syntax", "pattern=`not a pattern`"),
          bad("indicator", "pattern-syntax", "pattern=`[domain-name:value = 'evil.example'`"),
          bad("indicator", "pattern-syntax", "pattern=`[domain-name:value = 'evil.example]`"),
          bad("indicator", "pattern-syntax", "pattern=`[]`"),
          bad("indicator", "pattern-syntax", "pattern=`([domain-name:value = 'x']`"),
          bad("indicator", "property-type", "pattern_type=5"),
          bad("infrastructure", "required-property", "-name"),
          bad("intrusion-set", "required-property", "-name"),
          bad(
              "location",
              "at-least-one",
              "-region",
              "-country",
              "-latitude",
              "-longitude",
              "-precision"),
          bad("location", "float-range", "latitude=91"),
          bad("location", "float-range", "longitude=-181"),
          bad("location", "float-range", "precision=-1"),
          bad("location", "dependent-property", "-longitude"),
          bad("location", "dependent-property", "-latitude", "-longitude"),
          bad("location", "property-type", "latitude=`52`"),
          bad("malware", "required-property", "-is_family"),
          bad("malware", "required-property", "-name"),
          bad("malware", "property-type", "is_family=`true`"),
          bad("malware", "ref-type", "operating_system_refs=[`file--%U`]"),
          bad("malware", "ref-type", "sample_refs=[`url--%U`]"),
          bad("malware-analysis", "required-property", "-product"),
          bad("malware-analysis", "at-least-one", "-result"),
          bad("malware-analysis", "ref-type", "host_vm_ref=`file--%U`"),
          bad("malware-analysis", "ref-type", "analysis_sco_refs=[`indicator--%U`]"),
          bad("note", "required-property", "-content"),
          bad("note", "required-property", "-object_refs"),
          bad("observed-data", "required-property", "-number_observed"),
          bad("observed-data", "integer-range", "number_observed=0"),
          bad("observed-data", "integer-range", "number_observed=1000000000"),
          bad("observed-data", "required-property", "-first_observed"),
          bad("observed-data", "exactly-one", "objects={`0`:{`type`:`mutex`,`name`:`m`}}"),
          bad("observed-data", "exactly-one", "-object_refs"),
          bad("observed-data", "ref-type", "object_refs=[`relationship--%U`]"),
          bad("observed-data", "ref-type", "object_refs=[`indicator--%U`]"),
          bad("observed-data-container", "ref-format", "objects.1.src_ref=`7`"),
          bad(
              "observed-data-container",
              "ref-type",
              "objects.0={`type`:`indicator`,`pattern`:`x`}"),
          bad("observed-data-container", "ref-type", "objects.1.src_ref=`1`"),
          bad("opinion", "enum", "opinion=`maybe`"),
          bad("opinion", "required-property", "-opinion"),
          bad("report", "required-property", "-published"),
          bad("report", "timestamp-format", "published=`2024`"),
          bad("report", "required-property", "-object_refs"),
          bad("threat-actor", "required-property", "-name"),
          bad("tool", "required-property", "-name"),
          bad("vulnerability", "required-property", "-name"),
          // ---- SROs ----
          bad("relationship", "required-property", "-relationship_type"),
          bad("relationship", "relationship-type", "relationship_type=`Uses`"),
          bad("relationship", "required-property", "-source_ref"),
          bad("relationship", "required-property", "-target_ref"),
          bad("relationship", "ref-type", "source_ref=`relationship--%U`"),
          bad("relationship", "ref-type", "source_ref=`sighting--%U`"),
          bad("relationship", "ref-type", "target_ref=`marking-definition--%U`"),
          bad("relationship", "ref-type", "target_ref=`bundle--%U`"),
          bad("relationship", "ref-type", "source_ref=`language-content--%U`"),
          bad("sighting", "required-property", "-sighting_of_ref"),
          bad("sighting", "ref-type", "sighting_of_ref=`ipv4-addr--%U`"),
          bad("sighting", "ref-type", "observed_data_refs=[`indicator--%U`]"),
          bad("sighting", "ref-type", "where_sighted_refs=[`campaign--%U`]"),
          bad("sighting", "integer-range", "count=-1"),
          bad("sighting", "integer-range", "count=1000000000"),
          bad("sighting", "property-type", "summary=`no`"),
          // ---- marking definitions ----
          bad("marking-statement", "required-property", "-definition"),
          bad("marking-statement", "required-property", "-definition_type"),
          bad("marking-statement", "empty-dict", "definition={}"),
          bad("marking-statement", "required-property", "definition={`text`:`x`}"),
          bad("marking-statement", "required-property", "-created"),
          bad(
              "marking-statement", "tlp-definition",
              "definition_type=`tlp`", "definition={`tlp`:`white`}"),
          bad("marking-tlp1-white", "tlp-definition", "definition={`tlp`:`green`}"),
          bad("marking-tlp1-white", "tlp-definition", "created=`2017-01-20T00:00:00.001Z`"),
          bad("marking-tlp1-white", "tlp-definition", "name=`TLP:CLEAR`"),
          bad(
              "marking-tlp1-white", "tlp-definition",
              "definition_type=`statement`", "definition={`statement`:`x`}"),
          bad("marking-tlp2-amber", "tlp-definition", "name=`TLP:RED`"),
          bad("marking-tlp2-amber", "tlp-definition", TLP2 + ".tlp_2_0=`red`"),
          bad("marking-tlp2-amber", "tlp-definition", TLP2 + ".extra=`x`"),
          bad("marking-tlp2-amber", "tlp-definition", "-name"),
          bad("marking-tlp2-amber", "tlp-definition", "created=`2022-10-02T00:00:00.000Z`"),
          bad(
              "marking-tlp2-amber", "tlp-definition",
              "definition_type=`statement`", "definition={`statement`:`x`}"),
          bad("marking-tlp2-amber", "required-property", "-extensions"),
          // ---- language content, extension definition ----
          bad("language-content", "required-property", "-object_ref"),
          bad("language-content", "required-property", "-contents"),
          bad("language-content", "ref-type", "object_ref=`bundle--%U`"),
          bad("language-content", "ref-type", "object_ref=`language-content--%U`"),
          bad("language-content", "lang-tag", "contents={`not a tag!`:{`name`:`x`}}"),
          bad("language-content", "property-name", "contents={`de`:{`Name`:`x`}}"),
          bad("language-content", "empty-dict", "contents={`de`:{}}"),
          bad("language-content", "timestamp-precision", "object_modified=`2024-01-01T00:00:00Z`"),
          bad("extension-definition", "required-property", "-created_by_ref"),
          bad("extension-definition", "required-property", "-schema"),
          bad("extension-definition", "required-property", "-version"),
          bad("extension-definition", "required-property", "-extension_types"),
          bad("extension-definition", "enum", "extension_types=[`new-thing`]"),
          bad("extension-definition", "empty-list", "extension_types=[]"),
          bad("extension-definition", "extension-type", "extension_types=[`property-extension`]"),
          // ---- bundle and custom objects ----
          bad("bundle", "id-format", "id=`bundle--1`"),
          bad("bundle", "empty-list", "objects=[]"),
          bad("bundle", "property-type", "objects=[5]"),
          bad("bundle", "required-property", "-objects[0].name"),
          bad("bundle", "property-type", "objects[1].value=1"),
          bad("custom-object", "required-property", "-created"),
          bad("custom-object", "spec-version", "spec_version=`2.0`"),
          bad("custom-object", "empty-list", "widget_size=[]"),
          bad("custom-object", "property-name", "Widget=`x`"));

  @Test
  void coversAtLeast150DistinctVariants() {
    Set<String> names = new HashSet<>();
    for (Case c : CASES) {
      names.add(c.name());
    }
    assertThat(names).hasSize(CASES.size());
    assertThat(CASES.size()).isGreaterThanOrEqualTo(150);
  }

  @TestFactory
  Stream<DynamicTest> rejectsEachVariantWithTheExpectedRule() {
    return CASES.stream()
        .map(
            c ->
                dynamicTest(
                    c.name(),
                    () -> {
                      JsonNode variant = Fixtures.edited(c.fixture(), c.edits());
                      ValidationReport report = VALIDATOR.validate(variant);
                      assertThat(report.valid()).as("valid? %s", report.findings()).isFalse();
                      assertThat(report.errors())
                          .as("errors of %s", variant)
                          .extracting(Finding::rule)
                          .contains(c.rule());
                    }));
  }
}
