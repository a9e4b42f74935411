package com.cpo.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.cpo.platform.persistence.ScreenLinkEntity;
import com.cpo.platform.service.InvalidRequestException;
import com.cpo.platform.service.NotFoundException;

/**
 * Read-only links for line screens: the live dashboard without a person logged in. An administrator issues one (its token
 * is shown once; only its SHA-256 is stored) and may revoke it; a revoked token is refused at the next request, and a
 * screen's open stream ends within {@link #RECHECK_SECONDS}.
 */
@ApplicationScoped
public class ScreenLinks {

    private static final Logger LOG = Logger.getLogger(ScreenLinks.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How often an open screen stream checks that its link still stands. */
    public static final int RECHECK_SECONDS = 30;

    /** A link as an administrator sees it; {@code token} only in the answer that issues it. */
    public record Link(long id, String name, String createdBy, Instant createdAt, String revokedBy, Instant revokedAt, String token) {
    }

    private final EntityManager em;

    ScreenLinks(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public Link issue(String name, String by) {
        if (name == null || name.isBlank() || name.length() > 128) {
            throw new InvalidRequestException("name", "A screen link needs a name of 1 to 128 characters, e.g. 'Line 2 entrance'.");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ScreenLinkEntity link = new ScreenLinkEntity(name.strip(), hash(token), by, Instant.now());
        em.persist(link);
        em.flush();
        LOG.infof("screen link %d '%s' issued by %s", link.getId(), link.getName(), by);
        return view(link, token);
    }

    @Transactional
    public List<Link> list() {
        return em.createQuery("FROM ScreenLinkEntity ORDER BY id", ScreenLinkEntity.class).getResultList().stream()
                .map(l -> view(l, null)).toList();
    }

    @Transactional
    public Link revoke(long id, String by) {
        ScreenLinkEntity link = em.find(ScreenLinkEntity.class, id);
        if (link == null) {
            throw new NotFoundException("No screen link " + id + ".");
        }
        if (link.getRevokedAt() == null) {
            link.revoke(by, Instant.now());
            LOG.infof("screen link %d '%s' revoked by %s", id, link.getName(), by);
        }
        return view(link, null);
    }

    /** The name of the link whose token this is, when it stands (not revoked). */
    @Transactional
    public Optional<String> valid(String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        return em.createQuery("FROM ScreenLinkEntity WHERE tokenHash = :h AND revokedAt IS NULL", ScreenLinkEntity.class)
                .setParameter("h", hash(token)).getResultStream().findFirst().map(l -> "screen:" + l.getName());
    }

    private static Link view(ScreenLinkEntity l, String token) {
        return new Link(l.getId(), l.getName(), l.getCreatedBy(), l.getCreatedAt(), l.getRevokedBy(), l.getRevokedAt(), token);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
