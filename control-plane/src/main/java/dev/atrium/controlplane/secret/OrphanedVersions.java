package dev.atrium.controlplane.secret;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

/**
 * A store outside the database (Vault) keeps a value it was given even when the transaction that records it (the
 * secret's metadata and its audit event) then rolls back. Such a version is destroyed once the transaction has
 * ended without committing, so a failed audit write leaves nothing half-applied.
 */
@ApplicationScoped
public class OrphanedVersions {

    private static final Logger LOG = Logger.getLogger(OrphanedVersions.class);

    @Inject
    TransactionSynchronizationRegistry transactions;

    /** Within a transaction: destroy {@code version} if the transaction does not commit. */
    public void discardUnlessCommitted(SecretStore store, SecretLocation location, int version) {
        if (store.transactional()) {
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    return;
                }
                try {
                    store.discard(location, version);
                    LOG.infof("destroyed version %d of secret %s: the transaction recording it did not commit", version,
                            location.name());
                } catch (RuntimeException e) {
                    LOG.errorf("could not destroy version %d of secret %s after a rollback: %s", version, location.name(),
                            e.getMessage());
                }
            }
        });
    }
}
