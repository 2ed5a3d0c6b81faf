package dev.jcontainers.core.network;

import dev.jcontainers.api.ContainerException;

import java.util.Collection;
import java.util.TreeSet;

/**
 * The addresses of one subnet: which are taken, and the next free one. Hands out the lowest free host
 * address, never the network, broadcast or gateway address. Not thread-safe; the network's lock guards it.
 */
public final class IpAllocator {
    private final Subnet subnet;
    private final int gateway;
    private final TreeSet<Integer> taken = new TreeSet<>(Integer::compareUnsigned);

    /** @param inUse addresses already given out (e.g. read from the network's record) */
    public IpAllocator(Subnet subnet, int gateway, Collection<Integer> inUse) {
        if (!subnet.isHost(gateway)) {
            throw new IllegalArgumentException("gateway " + Subnet.format(gateway) + " is not a host address of " + subnet);
        }
        this.subnet = subnet;
        this.gateway = gateway;
        for (int a : inUse) {
            reserve(a);
        }
    }

    /** Marks a specific address taken; refused outside the subnet, on the gateway, or when already taken. */
    public void reserve(int address) {
        if (!subnet.isHost(address) || address == gateway) {
            throw new IllegalArgumentException(Subnet.format(address) + " is not an assignable address of " + subnet);
        }
        if (!taken.add(address)) {
            throw new IllegalArgumentException(Subnet.format(address) + " is already in use on " + subnet);
        }
    }

    /** The lowest free address, now taken. */
    public int allocate() {
        for (int a = subnet.firstHost(); Integer.compareUnsigned(a, subnet.broadcast()) < 0; a++) {
            if (a != gateway && !taken.contains(a)) {
                taken.add(a);
                return a;
            }
        }
        throw new ContainerException("no available IPv4 addresses on this network's address pool " + subnet);
    }

    /** Gives an address back; releasing a free address is a no-op, so release is idempotent. */
    public void release(int address) {
        taken.remove(address);
    }

    public int inUse() {
        return taken.size();
    }

    /** Addresses containers may get: all hosts of the subnet but the gateway. */
    public int capacity() {
        return (int) ((1L << (32 - subnet.length())) - 3);
    }
}
