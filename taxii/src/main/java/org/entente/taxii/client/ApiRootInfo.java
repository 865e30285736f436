package org.entente.taxii.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A TAXII api-root resource (§4.2.1). */
public record ApiRootInfo(
    String title,
    String description,
    List<String> versions,
    long maxContentLength,
    JsonNode json) {}
