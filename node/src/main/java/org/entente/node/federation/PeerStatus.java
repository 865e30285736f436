package org.entente.node.federation;

import org.entente.store.Peer;
import org.entente.store.PeerState;

/**
 * A peer with where its sync stands, for the admin API and the metrics.
 *
 * @param pushBacklog local versions in its published collections not yet handed to it
 * @param pushLagSeconds age of the oldest of those, null when none
 * @param pullLagSeconds seconds since a pull last found nothing more to fetch, null if never
 * @param pendingPushes versions sent and not acknowledged (to retry)
 */
public record PeerStatus(
    Peer peer,
    PeerState state,
    long pushBacklog,
    Long pushLagSeconds,
    Long pullLagSeconds,
    long pendingPushes) {}
