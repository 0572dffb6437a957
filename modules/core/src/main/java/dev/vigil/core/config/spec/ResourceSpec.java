package dev.vigil.core.config.spec;

/** The type-specific settings of a resource. One record per resource type. */
public sealed interface ResourceSpec permits IpSpec, FilesystemSpec, PostgresqlSpec, GenericSpec {

    /** The id status prints for the resource (unique per type). */
    String id();

    /** The one-line {@code info=} of the detailed status. */
    String info();
}
