package dev.vigil.daemon;

/**
 * Marker for every message that crosses the wire between servers. The generated Pekko
 * configuration binds it to Pekko's Jackson CBOR serializer, so a message that should travel
 * but lacks the marker fails loudly instead of falling back to Java serialization.
 */
public interface CborSerializable {
}
