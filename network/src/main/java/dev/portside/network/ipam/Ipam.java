package dev.portside.network.ipam;

import org.jdbi.v3.core.Handle;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The free addresses of each subnet, kept as ranges. Taking the lowest free address reads one row
 * by index and shrinks it, so its cost does not grow with the addresses in use. Every call locks
 * the subnet's row first, so concurrent allocations on one subnet take turns instead of racing;
 * the unique key of network_ip_allocation remains the final guard against a duplicate.
 */
public final class Ipam {
    /** An inclusive range of addresses, as numbers. */
    public record Range(BigInteger first, BigInteger last) {
        public boolean contains(BigInteger address) {
            return first.compareTo(address) <= 0 && last.compareTo(address) >= 0;
        }
    }

    public void addFree(Handle h, String subnetId, List<Range> ranges) {
        ranges.forEach(range -> insert(h, subnetId, range));
    }

    /**
     * The subnet's pools changed: its free addresses become the new pools minus {@code inUse}.
     * Linear in the addresses in use, which is fine for an operator's occasional change.
     */
    public void rebuildFree(Handle h, String subnetId, List<Range> pools, java.util.SortedSet<BigInteger> inUse) {
        lock(h, subnetId);
        h.createUpdate("DELETE FROM network_free_range WHERE subnet_id = :subnet").bind("subnet", subnetId).execute();
        for (Range pool : pools) {
            BigInteger next = pool.first();
            for (BigInteger used : inUse.subSet(pool.first(), pool.last().add(BigInteger.ONE))) {
                if (next.compareTo(used) < 0) {
                    insert(h, subnetId, new Range(next, used.subtract(BigInteger.ONE)));
                }
                next = used.add(BigInteger.ONE);
            }
            if (next.compareTo(pool.last()) <= 0) {
                insert(h, subnetId, new Range(next, pool.last()));
            }
        }
    }

    /** The lowest free address of the subnet, now taken; empty when the pools are exhausted. */
    public Optional<BigInteger> takeAny(Handle h, String subnetId) {
        lock(h, subnetId);
        Optional<Range> lowest = h.createQuery("SELECT first_ip, last_ip FROM network_free_range WHERE subnet_id = :subnet"
                        + " ORDER BY first_ip LIMIT 1")
                .bind("subnet", subnetId).map((rs, ctx) -> new Range(rs.getBigDecimal("first_ip").toBigIntegerExact(),
                        rs.getBigDecimal("last_ip").toBigIntegerExact()))
                .findOne();
        lowest.ifPresent(range -> remove(h, subnetId, range, range.first()));
        return lowest.map(Range::first);
    }

    /** Takes a given address out of the free ranges, if it is in one (an address outside the pools may still be asked for). */
    public void take(Handle h, String subnetId, BigInteger address) {
        lock(h, subnetId);
        h.createQuery("SELECT first_ip, last_ip FROM network_free_range WHERE subnet_id = :subnet AND first_ip <= :ip"
                        + " AND last_ip >= :ip")
                .bind("subnet", subnetId).bind("ip", new BigDecimal(address))
                .map((rs, ctx) -> new Range(rs.getBigDecimal("first_ip").toBigIntegerExact(),
                        rs.getBigDecimal("last_ip").toBigIntegerExact()))
                .findOne()
                .ifPresent(range -> remove(h, subnetId, range, address));
    }

    /** Returns an address to the free ranges when it lies in one of the subnet's pools. */
    public void giveBack(Handle h, String subnetId, BigInteger address, List<Range> pools) {
        if (pools.stream().anyMatch(pool -> pool.contains(address))) {
            lock(h, subnetId);
            insert(h, subnetId, new Range(address, address));
        }
    }

    private static void remove(Handle h, String subnetId, Range range, BigInteger address) {
        if (address.equals(range.first()) && range.last().compareTo(address) > 0) {
            // The common case, the lowest address taken: the range shrinks in one statement.
            h.createUpdate("UPDATE network_free_range SET first_ip = :next WHERE subnet_id = :subnet AND first_ip = :first")
                    .bind("subnet", subnetId).bind("first", new BigDecimal(range.first()))
                    .bind("next", new BigDecimal(address.add(BigInteger.ONE))).execute();
            return;
        }
        h.createUpdate("DELETE FROM network_free_range WHERE subnet_id = :subnet AND first_ip = :first")
                .bind("subnet", subnetId).bind("first", new BigDecimal(range.first())).execute();
        if (range.first().compareTo(address) < 0) {
            insert(h, subnetId, new Range(range.first(), address.subtract(BigInteger.ONE)));
        }
        if (range.last().compareTo(address) > 0) {
            insert(h, subnetId, new Range(address.add(BigInteger.ONE), range.last()));
        }
    }

    private static void insert(Handle h, String subnetId, Range range) {
        h.createUpdate("INSERT INTO network_free_range (subnet_id, first_ip, last_ip) VALUES (:subnet, :first, :last)")
                .bind("subnet", subnetId).bind("first", new BigDecimal(range.first()))
                .bind("last", new BigDecimal(range.last())).execute();
    }

    private static void lock(Handle h, String subnetId) {
        h.createQuery("SELECT id FROM network_subnet WHERE id = :subnet FOR UPDATE").bind("subnet", subnetId)
                .mapTo(String.class).findOne();
    }
}
