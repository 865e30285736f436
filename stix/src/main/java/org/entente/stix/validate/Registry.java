package org.entente.stix.validate;

import static org.entente.stix.validate.Common.KILL_CHAIN_PHASES;
import static org.entente.stix.validate.Kinds.BINARY;
import static org.entente.stix.validate.Kinds.BOOLEAN;
import static org.entente.stix.validate.Kinds.DICTIONARY;
import static org.entente.stix.validate.Kinds.FLOAT;
import static org.entente.stix.validate.Kinds.HASHES;
import static org.entente.stix.validate.Kinds.HEX;
import static org.entente.stix.validate.Kinds.INTEGER;
import static org.entente.stix.validate.Kinds.LANG;
import static org.entente.stix.validate.Kinds.NON_NEGATIVE;
import static org.entente.stix.validate.Kinds.STRING;
import static org.entente.stix.validate.Kinds.STRINGS;
import static org.entente.stix.validate.Kinds.TIMESTAMP;
import static org.entente.stix.validate.Kinds.TIMESTAMP_MS;
import static org.entente.stix.validate.Kinds.dict;
import static org.entente.stix.validate.Kinds.enumOf;
import static org.entente.stix.validate.Kinds.integer;
import static org.entente.stix.validate.Kinds.list;
import static org.entente.stix.validate.Kinds.number;
import static org.entente.stix.validate.Kinds.ref;
import static org.entente.stix.validate.Kinds.refs;
import static org.entente.stix.validate.Kinds.stringOr;
import static org.entente.stix.validate.Kinds.vocab;
import static org.entente.stix.validate.Rules.absentWhen;
import static org.entente.stix.validate.Rules.anyPropertyBesides;
import static org.entente.stix.validate.Rules.atLeastOne;
import static org.entente.stix.validate.Rules.exactlyOne;
import static org.entente.stix.validate.Rules.requiredWhenTrue;
import static org.entente.stix.validate.Rules.requires;
import static org.entente.stix.validate.Shape.shape;
import static org.entente.stix.validate.TypeSpec.sco;
import static org.entente.stix.validate.TypeSpec.sdo;
import static org.entente.stix.validate.TypeSpec.sro;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.entente.stix.pattern.PatternSyntaxException;
import org.entente.stix.pattern.StixPattern;

/**
 * One declaration per STIX 2.1 type, in spec order. Cross-cutting checks (ids, spec_version,
 * created/modified, timestamp order, markings, extensions, custom properties) are not repeated
 * here; they live in {@link ObjectChecker}.
 */
final class Registry {
  private Registry() {}

  private static final Map<String, TypeSpec> TYPES = new HashMap<>();

  static TypeSpec get(String type) {
    return TYPES.get(type);
  }

  private static void add(TypeSpec.Builder b) {
    TypeSpec spec = b.build();
    TYPES.put(spec.type(), spec);
  }

  // Frequently used kinds, named for readability of the declarations below.
  private static final Kind SOFTWARE_REF = ref(Targets.of("software"));
  private static final Kind FILE_OR_ARTIFACT = ref(Targets.of("file", "artifact"));
  private static final Kind OBJECT_REFS = refs(Targets.ANY);
  private static final Kind EMAIL_ADDR_REF = ref(Targets.of("email-addr"));
  private static final Kind ARTIFACT_REF = ref(Targets.of("artifact"));
  private static final Kind USER_ACCOUNT_REF = ref(Targets.of("user-account"));
  private static final Kind PORT = integer(0, 65535);
  private static final Kind COUNT = integer(0, 999_999_999);
  private static final Kind ADDRESS_REF =
      ref(Targets.of("ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"));

  private static final Pattern RELATIONSHIP_TYPE = Pattern.compile("^[a-z0-9-]+$");
  private static final Pattern MAC_48 = Pattern.compile("^([0-9a-f]{2}:){5}[0-9a-f]{2}$");
  private static final Pattern CPE_23 =
      Pattern.compile("^cpe:2\\.3:[aho*\\-](:(?:[^:\\\\\\s]|\\\\.)+){10}$");
  private static final Pattern ABBREVIATED_HIVE =
      Pattern.compile("^(?i)(HKLM|HKCU|HKCR|HKU|HKCC|HKPD|HKDD)(\\\\.*)?$");
  private static final Set<String> SCO_COMMON =
      Set.of("type", "id", "spec_version", "object_marking_refs", "granular_markings", "defanged");

  static {
    declareSdos();
    declareSros();
    declareScos();
    declareMeta();
  }

  private static void declareSdos() {
    add(
        sdo("attack-pattern")
            .req("name", STRING)
            .opt("description", STRING)
            .opt("aliases", STRINGS)
            .opt("kill_chain_phases", KILL_CHAIN_PHASES));

    add(
        sdo("campaign")
            .req("name", STRING)
            .opt("description", STRING)
            .opt("aliases", STRINGS)
            .opt("first_seen", TIMESTAMP)
            .opt("last_seen", TIMESTAMP)
            .opt("objective", STRING));

    add(sdo("course-of-action").req("name", STRING).opt("description", STRING));

    add(
        sdo("grouping")
            .opt("name", STRING)
            .opt("description", STRING)
            .req("context", vocab("grouping-context-ov", Vocab.GROUPING_CONTEXT))
            .req("object_refs", OBJECT_REFS));

    add(
        sdo("identity")
            .req("name", STRING)
            .opt("description", STRING)
            .opt("roles", STRINGS)
            .opt("identity_class", vocab("identity-class-ov", Vocab.IDENTITY_CLASS))
            .opt("sectors", list(vocab("industry-sector-ov", Vocab.INDUSTRY_SECTOR)))
            .opt("contact_information", STRING));

    add(
        sdo("incident")
            .req("name", STRING)
            .opt("description", STRING)
            .opt("kill_chain_phases", KILL_CHAIN_PHASES));

    add(
        sdo("indicator")
            .opt("name", STRING)
            .opt("description", STRING)
            .opt("indicator_types", list(vocab("indicator-type-ov", Vocab.INDICATOR_TYPE)))
            .req("pattern", STRING)
            .req("pattern_type", vocab("pattern-type-ov", Vocab.PATTERN_TYPE))
            .opt("pattern_version", STRING)
            .req("valid_from", TIMESTAMP)
            .opt("valid_until", TIMESTAMP)
            .opt("kill_chain_phases", KILL_CHAIN_PHASES)
            .rule(Registry::stixPatternSyntax));

    add(
        sdo("infrastructure")
            .req("name", STRING)
            .opt("description", STRING)
            .opt(
                "infrastructure_types",
                list(vocab("infrastructure-type-ov", Vocab.INFRASTRUCTURE_TYPE)))
            .opt("aliases", STRINGS)
            .opt("kill_chain_phases", KILL_CHAIN_PHASES)
            .opt("first_seen", TIMESTAMP)
            .opt("last_seen", TIMESTAMP));

    add(
        sdo("intrusion-set")
            .req("name", STRING)
            .opt("description", STRING)
            .opt("aliases", STRINGS)
            .opt("first_seen", TIMESTAMP)
            .opt("last_seen", TIMESTAMP)
            .opt("goals", STRINGS)
            .opt("resource_level", vocab("attack-resource-level-ov", Vocab.ATTACK_RESOURCE_LEVEL))
            .opt("primary_motivation", vocab("attack-motivation-ov", Vocab.ATTACK_MOTIVATION))
            .opt(
                "secondary_motivations",
                list(vocab("attack-motivation-ov", Vocab.ATTACK_MOTIVATION))));

    add(
        sdo("location")
            .opt("name", STRING)
            .opt("description", STRING)
            .opt("latitude", number(-90, 90))
            .opt("longitude", number(-180, 180))
            .opt("precision", number(0, Double.MAX_VALUE))
            .opt("region", vocab("region-ov", Vocab.REGION))
            .opt("country", STRING)
            .opt("administrative_area", STRING)
            .opt("city", STRING)
            .opt("street_address", STRING)
            .opt("postal_code", STRING)
            .rule(Registry::locationHasPlace)
            .rule(requires("latitude", "longitude"))
            .rule(requires("longitude", "latitude"))
            .rule(requires("precision", "latitude")));

    add(
        sdo("malware")
            .opt("name", STRING)
            .opt("description", STRING)
            .opt("malware_types", list(vocab("malware-type-ov", Vocab.MALWARE_TYPE)))
            .req("is_family", BOOLEAN)
            .opt("aliases", STRINGS)
            .opt("kill_chain_phases", KILL_CHAIN_PHASES)
            .opt("first_seen", TIMESTAMP)
            .opt("last_seen", TIMESTAMP)
            .opt("operating_system_refs", refs(Targets.of("software")))
            .opt(
                "architecture_execution_envs",
                list(vocab("processor-architecture-ov", Vocab.PROCESSOR_ARCHITECTURE)))
            .opt(
                "implementation_languages",
                list(vocab("implementation-language-ov", Vocab.IMPLEMENTATION_LANGUAGE)))
            .opt("capabilities", list(vocab("malware-capabilities-ov", Vocab.MALWARE_CAPABILITIES)))
            .opt("sample_refs", list(FILE_OR_ARTIFACT))
            .rule(requiredWhenTrue("is_family", "name")));

    add(
        sdo("malware-analysis")
            .req("product", STRING)
            .opt("version", STRING)
            .opt("host_vm_ref", SOFTWARE_REF)
            .opt("operating_system_ref", SOFTWARE_REF)
            .opt("installed_software_refs", refs(Targets.of("software")))
            .opt("configuration_version", STRING)
            .opt("modules", STRINGS)
            .opt("analysis_engine_version", STRING)
            .opt("analysis_definition_version", STRING)
            .opt("submitted", TIMESTAMP)
            .opt("analysis_started", TIMESTAMP)
            .opt("analysis_ended", TIMESTAMP)
            .opt("result_name", STRING)
            .opt("result", vocab("malware-result-ov", Vocab.MALWARE_RESULT))
            .opt("analysis_sco_refs", refs(Targets.ANY_SCO))
            .opt("sample_ref", ref(Targets.of("file", "artifact", "network-traffic")))
            .rule(atLeastOne("result", "analysis_sco_refs")));

    add(
        sdo("note")
            .opt("abstract", STRING)
            .req("content", STRING)
            .opt("authors", STRINGS)
            .req("object_refs", OBJECT_REFS));

    add(
        sdo("observed-data")
            .req("first_observed", TIMESTAMP)
            .req("last_observed", TIMESTAMP)
            .req("number_observed", integer(1, 999_999_999))
            .opt("objects", ObservedObjects.KIND)
            .opt("object_refs", refs(Targets.SCO_OR_SRO))
            .rule(exactlyOne("object_refs", "objects"))
            .rule(Registry::observedDataHasSco));

    add(
        sdo("opinion")
            .opt("explanation", STRING)
            .opt("authors", STRINGS)
            .req(
                "opinion",
                enumOf(
                    "opinion-enum",
                    "strongly-disagree",
                    "disagree",
                    "neutral",
                    "agree",
                    "strongly-agree"))
            .req("object_refs", OBJECT_REFS));

    add(
        sdo("report")
            .req("name", STRING)
            .opt("description", STRING)
            .opt("report_types", list(vocab("report-type-ov", Vocab.REPORT_TYPE)))
            .req("published", TIMESTAMP)
            .req("object_refs", OBJECT_REFS));

    add(
        sdo("threat-actor")
            .req("name", STRING)
            .opt("description", STRING)
            .opt("threat_actor_types", list(vocab("threat-actor-type-ov", Vocab.THREAT_ACTOR_TYPE)))
            .opt("aliases", STRINGS)
            .opt("first_seen", TIMESTAMP)
            .opt("last_seen", TIMESTAMP)
            .opt("roles", list(vocab("threat-actor-role-ov", Vocab.THREAT_ACTOR_ROLE)))
            .opt("goals", STRINGS)
            .opt(
                "sophistication",
                vocab("threat-actor-sophistication-ov", Vocab.THREAT_ACTOR_SOPHISTICATION))
            .opt("resource_level", vocab("attack-resource-level-ov", Vocab.ATTACK_RESOURCE_LEVEL))
            .opt("primary_motivation", vocab("attack-motivation-ov", Vocab.ATTACK_MOTIVATION))
            .opt(
                "secondary_motivations",
                list(vocab("attack-motivation-ov", Vocab.ATTACK_MOTIVATION)))
            .opt(
                "personal_motivations",
                list(vocab("attack-motivation-ov", Vocab.ATTACK_MOTIVATION))));

    add(
        sdo("tool")
            .req("name", STRING)
            .opt("description", STRING)
            .opt("tool_types", list(vocab("tool-type-ov", Vocab.TOOL_TYPE)))
            .opt("aliases", STRINGS)
            .opt("kill_chain_phases", KILL_CHAIN_PHASES)
            .opt("tool_version", STRING));

    add(sdo("vulnerability").req("name", STRING).opt("description", STRING));
  }

  private static void declareSros() {
    Kind endpoint =
        ref(
            Targets.anyExcept(
                "relationship",
                "sighting",
                "bundle",
                "language-content",
                "marking-definition",
                "extension-definition"));
    add(
        sro("relationship")
            .req(
                "relationship_type",
                Kinds.string(RELATIONSHIP_TYPE, "relationship-type", "lowercase ASCII [a-z0-9-]"))
            .opt("description", STRING)
            .req("source_ref", endpoint)
            .req("target_ref", endpoint)
            .opt("start_time", TIMESTAMP)
            .opt("stop_time", TIMESTAMP)
            .rule(Registry::suggestedRelationship));

    add(
        sro("sighting")
            .opt("description", STRING)
            .opt("first_seen", TIMESTAMP)
            .opt("last_seen", TIMESTAMP)
            .opt("count", COUNT)
            .req("sighting_of_ref", ref(Targets.ANY_SDO))
            .opt("observed_data_refs", refs(Targets.of("observed-data")))
            .opt("where_sighted_refs", refs(Targets.of("identity", "location")))
            .opt("summary", BOOLEAN));
  }

  private static void declareScos() {
    add(
        sco("artifact")
            .opt("mime_type", STRING)
            .opt("payload_bin", BINARY)
            .opt("url", STRING)
            .opt("hashes", HASHES)
            .opt(
                "encryption_algorithm",
                enumOf(
                    "encryption-algorithm-enum",
                    "AES-256-GCM",
                    "ChaCha20-Poly1305",
                    "mime-type-indicated"))
            .opt("decryption_key", STRING)
            .rule(exactlyOne("payload_bin", "url"))
            .rule(requires("url", "hashes"))
            .rule(requires("decryption_key", "encryption_algorithm")));

    add(
        sco("autonomous-system")
            .req("number", NON_NEGATIVE)
            .opt("name", STRING)
            .opt("rir", STRING));

    add(
        sco("directory")
            .req("path", STRING)
            .opt("path_enc", STRING)
            .opt("ctime", TIMESTAMP)
            .opt("mtime", TIMESTAMP)
            .opt("atime", TIMESTAMP)
            .opt("contains_refs", refs(Targets.of("file", "directory"))));

    add(
        sco("domain-name")
            .req("value", STRING)
            .opt("resolves_to_refs", refs(Targets.of("ipv4-addr", "ipv6-addr", "domain-name"))));

    add(
        sco("email-addr")
            .req("value", STRING)
            .opt("display_name", STRING)
            .opt("belongs_to_ref", USER_ACCOUNT_REF));

    Shape mimePart =
        shape("email-mime-part")
            .opt("body", STRING)
            .opt("body_raw_ref", FILE_OR_ARTIFACT)
            .opt("content_type", STRING)
            .opt("content_disposition", STRING)
            .rule(atLeastOne("body", "body_raw_ref"))
            .build();
    add(
        sco("email-message")
            .req("is_multipart", BOOLEAN)
            .opt("date", TIMESTAMP)
            .opt("content_type", STRING)
            .opt("from_ref", EMAIL_ADDR_REF)
            .opt("sender_ref", EMAIL_ADDR_REF)
            .opt("to_refs", list(EMAIL_ADDR_REF))
            .opt("cc_refs", list(EMAIL_ADDR_REF))
            .opt("bcc_refs", list(EMAIL_ADDR_REF))
            .opt("message_id", STRING)
            .opt("subject", STRING)
            .opt("received_lines", STRINGS)
            .opt("additional_header_fields", dict(stringOr(STRINGS)))
            .opt("body", STRING)
            .opt("body_multipart", list(mimePart))
            .opt("raw_email_ref", ARTIFACT_REF)
            .rule(absentWhen("is_multipart", true, "body"))
            .rule(absentWhen("is_multipart", false, "body_multipart")));

    Shape alternateDataStream =
        shape("alternate-data-stream")
            .req("name", STRING)
            .opt("hashes", HASHES)
            .opt("size", NON_NEGATIVE)
            .build();
    Shape optionalHeader = peOptionalHeader();
    Shape section =
        shape("windows-pe-section")
            .req("name", STRING)
            .opt("size", NON_NEGATIVE)
            .opt("entropy", FLOAT)
            .opt("hashes", HASHES)
            .build();
    add(
        sco("file")
            .opt("hashes", HASHES)
            .opt("size", NON_NEGATIVE)
            .opt("name", STRING)
            .opt("name_enc", STRING)
            .opt("magic_number_hex", HEX)
            .opt("mime_type", STRING)
            .opt("ctime", TIMESTAMP)
            .opt("mtime", TIMESTAMP)
            .opt("atime", TIMESTAMP)
            .opt("parent_directory_ref", ref(Targets.of("directory")))
            .opt("contains_refs", refs(Targets.ANY_SCO))
            .opt("content_ref", ARTIFACT_REF)
            .rule(atLeastOne("hashes", "name"))
            .ext(
                shape("archive-ext")
                    .req("contains_refs", refs(Targets.of("file", "directory")))
                    .opt("comment", STRING)
                    .build())
            .ext(
                shape("ntfs-ext")
                    .opt("sid", STRING)
                    .opt("alternate_data_streams", list(alternateDataStream))
                    .build())
            .ext(
                shape("pdf-ext")
                    .opt("version", STRING)
                    .opt("is_optimized", BOOLEAN)
                    .opt("document_info_dict", dict(STRING))
                    .opt("pdfid0", STRING)
                    .opt("pdfid1", STRING)
                    .build())
            .ext(
                shape("raster-image-ext")
                    .opt("image_height", NON_NEGATIVE)
                    .opt("image_width", NON_NEGATIVE)
                    .opt("bits_per_pixel", NON_NEGATIVE)
                    .opt("exif_tags", DICTIONARY)
                    .build())
            .ext(
                shape("windows-pebinary-ext")
                    .req("pe_type", vocab("windows-pebinary-type-ov", Vocab.WINDOWS_PEBINARY_TYPE))
                    .opt("imphash", STRING)
                    .opt("machine_hex", HEX)
                    .opt("number_of_sections", NON_NEGATIVE)
                    .opt("time_date_stamp", TIMESTAMP)
                    .opt("pointer_to_symbol_table_hex", HEX)
                    .opt("number_of_symbols", NON_NEGATIVE)
                    .opt("size_of_optional_header", NON_NEGATIVE)
                    .opt("characteristics_hex", HEX)
                    .opt("file_header_hashes", HASHES)
                    .opt("optional_header", optionalHeader)
                    .opt("sections", list(section))
                    .rule(anyPropertyBesides(Set.of("pe_type")))
                    .build()));

    add(
        sco("ipv4-addr")
            .req("value", STRING)
            .opt("resolves_to_refs", refs(Targets.of("mac-addr")))
            .opt("belongs_to_refs", refs(Targets.of("autonomous-system"))));

    add(
        sco("ipv6-addr")
            .req("value", STRING)
            .opt("resolves_to_refs", refs(Targets.of("mac-addr")))
            .opt("belongs_to_refs", refs(Targets.of("autonomous-system"))));

    add(
        sco("mac-addr")
            .req(
                "value",
                Kinds.string(
                    MAC_48,
                    "value-format",
                    "a colon-separated lowercase MAC-48 address with leading zeros")));

    add(sco("mutex").req("name", STRING));

    add(
        sco("network-traffic")
            .opt("start", TIMESTAMP)
            .opt("end", TIMESTAMP)
            .opt("is_active", BOOLEAN)
            .opt("src_ref", ADDRESS_REF)
            .opt("dst_ref", ADDRESS_REF)
            .opt("src_port", PORT)
            .opt("dst_port", PORT)
            .req("protocols", STRINGS)
            .opt("src_byte_count", NON_NEGATIVE)
            .opt("dst_byte_count", NON_NEGATIVE)
            .opt("src_packets", NON_NEGATIVE)
            .opt("dst_packets", NON_NEGATIVE)
            .opt("ipfix", dict(stringOr(INTEGER)))
            .opt("src_payload_ref", ARTIFACT_REF)
            .opt("dst_payload_ref", ARTIFACT_REF)
            .opt("encapsulates_refs", refs(Targets.of("network-traffic")))
            .opt("encapsulated_by_ref", ref(Targets.of("network-traffic")))
            .rule(atLeastOne("src_ref", "dst_ref"))
            .rule(absentWhen("is_active", true, "end"))
            .ext(
                shape("http-request-ext")
                    .req("request_method", STRING)
                    .req("request_value", STRING)
                    .opt("request_version", STRING)
                    .opt("request_header", dict(stringOr(STRINGS)))
                    .opt("message_body_length", NON_NEGATIVE)
                    .opt("message_body_data_ref", ARTIFACT_REF)
                    .build())
            .ext(shape("icmp-ext").req("icmp_type_hex", HEX).req("icmp_code_hex", HEX).build())
            .ext(
                shape("socket-ext")
                    .req(
                        "address_family",
                        enumOf(
                            "network-socket-address-family-enum",
                            "AF_UNSPEC",
                            "AF_INET",
                            "AF_IPX",
                            "AF_APPLETALK",
                            "AF_NETBIOS",
                            "AF_INET6",
                            "AF_IRDA",
                            "AF_BTH"))
                    .opt("is_blocking", BOOLEAN)
                    .opt("is_listening", BOOLEAN)
                    .opt("options", dict(INTEGER))
                    .opt(
                        "socket_type",
                        enumOf(
                            "network-socket-type-enum",
                            "SOCK_STREAM",
                            "SOCK_DGRAM",
                            "SOCK_RAW",
                            "SOCK_RDM",
                            "SOCK_SEQPACKET"))
                    .opt("socket_descriptor", NON_NEGATIVE)
                    .opt("socket_handle", INTEGER)
                    .build())
            .ext(
                shape("tcp-ext")
                    .opt("src_flags_hex", HEX)
                    .opt("dst_flags_hex", HEX)
                    .rule(atLeastOne("src_flags_hex", "dst_flags_hex"))
                    .build()));

    add(
        sco("process")
            .opt("is_hidden", BOOLEAN)
            .opt("pid", INTEGER)
            .opt("created_time", TIMESTAMP)
            .opt("cwd", STRING)
            .opt("command_line", STRING)
            .opt("environment_variables", dict(STRING))
            .opt("opened_connection_refs", refs(Targets.of("network-traffic")))
            .opt("creator_user_ref", USER_ACCOUNT_REF)
            .opt("image_ref", ref(Targets.of("file")))
            .opt("parent_ref", ref(Targets.of("process")))
            .opt("child_refs", refs(Targets.of("process")))
            .rule(anyPropertyBesides(SCO_COMMON))
            .ext(
                shape("windows-process-ext")
                    .opt("aslr_enabled", BOOLEAN)
                    .opt("dep_enabled", BOOLEAN)
                    .opt("priority", STRING)
                    .opt("owner_sid", STRING)
                    .opt("window_title", STRING)
                    .opt("startup_info", DICTIONARY)
                    .opt(
                        "integrity_level",
                        enumOf("windows-integrity-level-enum", "low", "medium", "high", "system"))
                    .build())
            .ext(
                shape("windows-service-ext")
                    .opt("service_name", STRING)
                    .opt("descriptions", STRINGS)
                    .opt("display_name", STRING)
                    .opt("group_name", STRING)
                    .opt(
                        "start_type",
                        enumOf(
                            "windows-service-start-type-enum",
                            "SERVICE_AUTO_START",
                            "SERVICE_BOOT_START",
                            "SERVICE_DEMAND_START",
                            "SERVICE_DISABLED",
                            "SERVICE_SYSTEM_ALERT"))
                    .opt("service_dll_refs", refs(Targets.of("file")))
                    .opt(
                        "service_type",
                        enumOf(
                            "windows-service-type-enum",
                            "SERVICE_KERNEL_DRIVER",
                            "SERVICE_FILE_SYSTEM_DRIVER",
                            "SERVICE_WIN32_OWN_PROCESS",
                            "SERVICE_WIN32_SHARE_PROCESS"))
                    .opt(
                        "service_status",
                        enumOf(
                            "windows-service-status-enum",
                            "SERVICE_CONTINUE_PENDING",
                            "SERVICE_PAUSE_PENDING",
                            "SERVICE_PAUSED",
                            "SERVICE_RUNNING",
                            "SERVICE_START_PENDING",
                            "SERVICE_STOP_PENDING",
                            "SERVICE_STOPPED"))
                    .build()));

    add(
        sco("software")
            .req("name", STRING)
            .opt("cpe", Kinds.string(CPE_23, "cpe-format", "a CPE 2.3 formatted string"))
            .opt("swid", STRING)
            .opt("languages", list(LANG))
            .opt("vendor", STRING)
            .opt("version", STRING));

    add(sco("url").req("value", STRING));

    add(
        sco("user-account")
            .opt("user_id", STRING)
            .opt("credential", STRING)
            .opt("account_login", STRING)
            .opt("account_type", vocab("account-type-ov", Vocab.ACCOUNT_TYPE))
            .opt("display_name", STRING)
            .opt("is_service_account", BOOLEAN)
            .opt("is_privileged", BOOLEAN)
            .opt("can_escalate_privs", BOOLEAN)
            .opt("is_disabled", BOOLEAN)
            .opt("account_created", TIMESTAMP)
            .opt("account_expires", TIMESTAMP)
            .opt("credential_last_changed", TIMESTAMP)
            .opt("account_first_login", TIMESTAMP)
            .opt("account_last_login", TIMESTAMP)
            .rule(anyPropertyBesides(SCO_COMMON))
            .ext(
                shape("unix-account-ext")
                    .opt("gid", INTEGER)
                    .opt("groups", STRINGS)
                    .opt("home_dir", STRING)
                    .opt("shell", STRING)
                    .build()));

    Shape registryValue =
        shape("windows-registry-value")
            .opt("name", STRING)
            .opt("data", STRING)
            .opt(
                "data_type",
                enumOf(
                    "windows-registry-datatype-enum",
                    "REG_NONE",
                    "REG_SZ",
                    "REG_EXPAND_SZ",
                    "REG_BINARY",
                    "REG_DWORD",
                    "REG_DWORD_BIG_ENDIAN",
                    "REG_DWORD_LITTLE_ENDIAN",
                    "REG_LINK",
                    "REG_MULTI_SZ",
                    "REG_RESOURCE_LIST",
                    "REG_FULL_RESOURCE_DESCRIPTION",
                    "REG_RESOURCE_REQUIREMENTS_LIST",
                    "REG_QWORD",
                    "REG_INVALID_TYPE"))
            .build();
    add(
        sco("windows-registry-key")
            .opt("key", STRING)
            .opt("values", list(registryValue))
            .opt("modified_time", TIMESTAMP)
            .opt("creator_user_ref", USER_ACCOUNT_REF)
            .opt("number_of_subkeys", NON_NEGATIVE)
            .rule(anyPropertyBesides(SCO_COMMON))
            .rule(Registry::fullHiveName));

    Shape v3Extensions =
        shape("x509-v3-extensions")
            .opt("basic_constraints", STRING)
            .opt("name_constraints", STRING)
            .opt("policy_constraints", STRING)
            .opt("key_usage", STRING)
            .opt("extended_key_usage", STRING)
            .opt("subject_key_identifier", STRING)
            .opt("authority_key_identifier", STRING)
            .opt("subject_alternative_name", STRING)
            .opt("issuer_alternative_name", STRING)
            .opt("subject_directory_attributes", STRING)
            .opt("crl_distribution_points", STRING)
            .opt("inhibit_any_policy", STRING)
            .opt("private_key_usage_period_not_before", TIMESTAMP)
            .opt("private_key_usage_period_not_after", TIMESTAMP)
            .opt("certificate_policies", STRING)
            .opt("policy_mappings", STRING)
            .build();
    add(
        sco("x509-certificate")
            .opt("is_self_signed", BOOLEAN)
            .opt("hashes", HASHES)
            .opt("version", STRING)
            .opt("serial_number", STRING)
            .opt("signature_algorithm", STRING)
            .opt("issuer", STRING)
            .opt("validity_not_before", TIMESTAMP)
            .opt("validity_not_after", TIMESTAMP)
            .opt("subject", STRING)
            .opt("subject_public_key_algorithm", STRING)
            .opt("subject_public_key_modulus", STRING)
            .opt("subject_public_key_exponent", NON_NEGATIVE)
            .opt("x509_v3_extensions", v3Extensions)
            .rule(anyPropertyBesides(SCO_COMMON)));
  }

  private static Shape peOptionalHeader() {
    Shape.Builder b = shape("windows-pe-optional-header");
    for (String hex :
        new String[] {
          "magic_hex",
          "win32_version_value_hex",
          "checksum_hex",
          "subsystem_hex",
          "dll_characteristics_hex",
          "loader_flags_hex"
        }) {
      b.opt(hex, HEX);
    }
    for (String n :
        new String[] {
          "major_linker_version",
          "minor_linker_version",
          "size_of_code",
          "size_of_initialized_data",
          "size_of_uninitialized_data",
          "address_of_entry_point",
          "base_of_code",
          "base_of_data",
          "image_base",
          "section_alignment",
          "file_alignment",
          "major_os_version",
          "minor_os_version",
          "major_image_version",
          "minor_image_version",
          "major_subsystem_version",
          "minor_subsystem_version",
          "size_of_image",
          "size_of_headers",
          "size_of_stack_reserve",
          "size_of_stack_commit",
          "size_of_heap_reserve",
          "size_of_heap_commit",
          "number_of_rva_and_sizes"
        }) {
      b.opt(n, INTEGER);
    }
    return b.opt("hashes", HASHES).build();
  }

  private static void declareMeta() {
    add(
        TypeSpec.of("marking-definition", ObjectClass.MARKING_DEFINITION)
            .opt("name", STRING)
            .opt("definition_type", STRING)
            .opt("definition", Kinds.dict(Kinds.ANY))
            .rule(Markings::checkDefinition));

    add(
        TypeSpec.of("language-content", ObjectClass.LANGUAGE_CONTENT)
            .req("object_ref", ref(Targets.anyExcept("bundle", "language-content")))
            .opt("object_modified", TIMESTAMP_MS)
            .req("contents", LanguageContents.KIND));

    add(
        TypeSpec.of("extension-definition", ObjectClass.EXTENSION_DEFINITION)
            .req("created_by_ref", Common.IDENTITY_REF)
            .req("name", STRING)
            .opt("description", STRING)
            .req("schema", STRING)
            .req("version", STRING)
            .req("extension_types", list(Markings.EXTENSION_TYPE))
            .opt("extension_properties", STRINGS)
            .rule(Registry::extensionPropertiesOnlyForToplevel));

    add(
        TypeSpec.of("bundle", ObjectClass.BUNDLE)
            .opt("objects", list(ObjectChecker::checkObject))
            .rule(ObjectChecker::bundleDuplicates));
  }

  // ---- rules that belong to one type ----

  private static void stixPatternSyntax(com.fasterxml.jackson.databind.JsonNode o, Ctx c) {
    var type = o.get("pattern_type");
    var pattern = o.get("pattern");
    if (type != null && "stix".equals(type.asText()) && pattern != null && pattern.isTextual()) {
      try {
        StixPattern.parse(pattern.textValue());
      } catch (PatternSyntaxException e) {
        c.errorAt("pattern", "pattern-syntax", "not a STIX pattern: " + e.getMessage());
      }
    }
  }

  private static void locationHasPlace(com.fasterxml.jackson.databind.JsonNode o, Ctx c) {
    if (!o.has("region") && !o.has("country") && !(o.has("latitude") && o.has("longitude"))) {
      c.error("at-least-one", "a location needs region, country, or latitude and longitude");
    }
  }

  private static void observedDataHasSco(com.fasterxml.jackson.databind.JsonNode o, Ctx c) {
    var refs = o.get("object_refs");
    if (refs == null || !refs.isArray() || refs.isEmpty()) {
      return;
    }
    for (var r : refs) {
      if (r.isTextual()) {
        String s = r.textValue();
        int t = Syntax.identifierTypeLength(s);
        if (t > 0 && !Targets.SROS.contains(s.substring(0, t))) {
          return;
        }
      }
    }
    c.errorAt("object_refs", "ref-type", "object_refs must include at least one SCO");
  }

  private static void suggestedRelationship(com.fasterxml.jackson.databind.JsonNode o, Ctx c) {
    String source = typeOfRef(o.get("source_ref"));
    String target = typeOfRef(o.get("target_ref"));
    var type = o.get("relationship_type");
    if (source == null || target == null || type == null || !type.isTextual()) {
      return;
    }
    if (!Relationships.isSuggested(source, type.textValue(), target)) {
      c.warnAt(
          "relationship_type",
          "relationship-type",
          "'"
              + type.textValue()
              + "' is not a relationship the spec defines from "
              + source
              + " to "
              + target);
    }
  }

  private static String typeOfRef(com.fasterxml.jackson.databind.JsonNode ref) {
    if (ref == null || !ref.isTextual()) {
      return null;
    }
    String s = ref.textValue();
    int t = Syntax.identifierTypeLength(s);
    return t < 0 ? null : s.substring(0, t);
  }

  private static void fullHiveName(com.fasterxml.jackson.databind.JsonNode o, Ctx c) {
    var key = o.get("key");
    if (key != null && key.isTextual() && ABBREVIATED_HIVE.matcher(key.textValue()).matches()) {
      c.errorAt("key", "value-format", "hive names must be written out in full (HKEY_...)");
    }
  }

  private static void extensionPropertiesOnlyForToplevel(
      com.fasterxml.jackson.databind.JsonNode o, Ctx c) {
    var types = o.get("extension_types");
    if (!o.has("extension_properties") || types == null) {
      return;
    }
    for (var t : types) {
      if ("toplevel-property-extension".equals(t.asText())) {
        return;
      }
    }
    c.errorAt(
        "extension_properties",
        "extension-type",
        "extension_properties is only allowed with toplevel-property-extension");
  }
}
