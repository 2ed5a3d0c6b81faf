package dev.jcontainers.api;

import java.util.List;

/** The containers of one engine root, including those other JVMs created there. */
public interface ContainerManager {
    /** Creates (but does not start) a container: {@code docker create}. */
    Container create(ContainerSpec spec);

    /**
     * {@code docker run -d}: create and start. If the start fails the container is removed again, so a
     * caller that gets an exception has nothing to clean up.
     */
    default Container run(ContainerSpec spec) {
        Container c = create(spec);
        try {
            return c.start();
        } catch (RuntimeException e) {
            try {
                c.remove(true);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
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
