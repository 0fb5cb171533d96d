package dev.portside.network.api;

import dev.portside.common.policy.Policy;
import dev.portside.network.Tags;
import dev.portside.network.change.Transactions;
import dev.portside.network.quota.NetworkQuotas;

import java.time.Clock;

/** What every resource service works with: transactions, tags, quotas, lists, policy and the clock. */
public record ServiceContext(Transactions tx, Tags tags, NetworkQuotas quotas, Listing listing, Policy policy,
                             Clock clock) {
}
