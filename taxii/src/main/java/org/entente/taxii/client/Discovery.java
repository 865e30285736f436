package org.entente.taxii.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A TAXII discovery resource (§4.1.1); {@code json} is the resource as received. */
public record Discovery(
    String title,
    String description,
    String contact,
    String defaultApiRoot,
    List<String> apiRoots,
    JsonNode json) {}
