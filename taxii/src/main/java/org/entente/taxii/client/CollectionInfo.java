package org.entente.taxii.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A TAXII collection resource (§5.2.1), with the rights the server grants this client. */
public record CollectionInfo(
    String id,
    String title,
    String description,
    String alias,
    boolean canRead,
    boolean canWrite,
    List<String> mediaTypes,
    JsonNode json) {}
