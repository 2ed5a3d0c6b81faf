package dev.jcontainers.oci.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Well-formed JSON of the wrong shape for the record being read: an array where an object belongs, text where
 * a number does, a null for a primitive. Syntax errors stay Jackson's own {@code JsonParseException}, so a
 * caller can tell "not JSON" from "not this document", as databind's callers could.
 */
public final class JsonMismatchException extends JsonProcessingException {
    JsonMismatchException(JsonParser p, String message, Throwable cause) {
        super(message, p == null ? null : p.currentLocation(), cause);
    }
}
