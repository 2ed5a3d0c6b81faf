package dev.jcontainers.core.network;

import dev.jcontainers.api.ContainerException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpAllocatorProperties {

    /** A step of a random workload: allocate (null) or release the n-th address currently held. */
    record Step(Integer releaseIndex) {
    }

    @Provide
    Arbitrary<List<Step>> workloads() {
        Arbitrary<Step> allocate = Arbitraries.just(new Step(null));
        Arbitrary<Step> release = Arbitraries.integers().between(0, 1000).map(Step::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, allocate), net.jqwik.api.Tuple.of(1, release))
                .list().ofMaxSize(200);
    }

    @Property
    void addressesAreUniqueInsideTheSubnetAndNeverTheGatewayNetworkOrBroadcast(
            @ForAll("workloads") List<Step> steps, @ForAll @IntRange(min = 24, max = 30) int length,
            @ForAll @IntRange(min = 0, max = 3) int gatewayOffset) {
        Subnet subnet = new Subnet(Subnet.parseAddress("10.99.7.0") & Subnet.mask(length), length);
        int gateway = subnet.firstHost() + Math.min(gatewayOffset, (1 << (32 - length)) - 3);
        IpAllocator allocator = new IpAllocator(subnet, gateway, List.of());
        List<Integer> held = new ArrayList<>();
        for (Step step : steps) {
            if (step.releaseIndex() == null) {
                if (held.size() == allocator.capacity()) {
                    assertThatThrownBy(allocator::allocate).isInstanceOf(ContainerException.class)
                            .hasMessageContaining("no available IPv4 addresses");
                    continue;
                }
                int a = allocator.allocate();
                assertThat(subnet.isHost(a)).isTrue();
                assertThat(a).isNotEqualTo(gateway);
                assertThat(held).doesNotContain(a);
                held.add(a);
            } else if (!held.isEmpty()) {
                allocator.release(held.remove(step.releaseIndex() % held.size()));
            }
            assertThat(allocator.inUse()).isEqualTo(held.size());
        }
    }

    @Property
    void aReleasedAddressIsGivenOutAgainAndAFreshAllocatorFromTheRecordAgrees(
            @ForAll @IntRange(min = 1, max = 50) int count, @ForAll @IntRange(min = 0, max = 49) int releasedIndex) {
        Subnet subnet = Subnet.parse("10.99.0.0/24");
        IpAllocator allocator = new IpAllocator(subnet, subnet.firstHost(), List.of());
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(allocator.allocate());
        }
        int released = held.remove(releasedIndex % count);
        allocator.release(released);
        IpAllocator reloaded = new IpAllocator(subnet, subnet.firstHost(), held);
        assertThat(allocator.allocate()).isEqualTo(released);
        assertThat(reloaded.allocate()).isEqualTo(released);
    }

    @Property
    void exhaustionIsAnErrorAfterExactlyCapacityAddresses(@ForAll @IntRange(min = 22, max = 30) int length) {
        Subnet subnet = new Subnet(Subnet.parseAddress("10.99.0.0"), length);
        IpAllocator allocator = new IpAllocator(subnet, subnet.firstHost(), List.of());
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < allocator.capacity(); i++) {
            all.add(allocator.allocate());
        }
        assertThat(all).hasSize((1 << (32 - length)) - 3);
        assertThatThrownBy(allocator::allocate).isInstanceOf(ContainerException.class);
    }
}
