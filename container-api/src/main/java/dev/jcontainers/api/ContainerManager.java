package dev.jcontainers.api;

import java.util.List;

/** The containers of one engine root, including those other JVMs created there. */
public interface ContainerManager {
    /** Creates (but does not start) a container: {@code docker create}. */
    Container create(ContainerSpec spec);

    /** {@code docker run -d}: create and start. */
    default Container run(ContainerSpec spec) {
        return create(spec).start();
    }

    /** Running containers, or all of them. */
    List<ContainerInfo> list(boolean all);

    /** By name, ID or unique ID prefix; {@link ContainerNotFoundException} otherwise. */
    Container get(String nameOrId);

    /** Removes every stopped container; returns their IDs. */
    List<String> prune();

    /** A builder bound to this manager. */
    default ContainerBuilder builder() {
        return new ContainerBuilder(this);
    }
}
