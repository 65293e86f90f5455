/**
 * Leader election: {@link dev.eskit.leader.LeaderElection} grants each named role to one node at a time, and
 * {@link dev.eskit.leader.LeaderSupervisor} runs subscriptions and processors only on their leader.
 */
package dev.eskit.leader;
