package dev.jcontainers.oci.registry;

/** What {@link RegistryClient#pushBlob} had to do to make a blob present in the target repository. */
public enum BlobPushOutcome {
    /** The repository had the blob already (HEAD answered 200). */
    ALREADY_EXISTS,
    /** The registry linked it from another repository of its own (cross-repository mount, 201). */
    MOUNTED,
    /** Its bytes were uploaded. */
    UPLOADED
}
