package com.cpo.platform.service;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.cpo.domain.ParameterCatalogue;
import com.cpo.domain.Products;
import com.cpo.events.Limit;
import com.cpo.events.LimitSet;
import com.cpo.platform.persistence.LimitEntity;
import com.cpo.platform.persistence.LimitSetAuditEntity.Action;
import com.cpo.platform.persistence.LimitSetAuditEntity;
import com.cpo.platform.persistence.LimitSetEntity;
import com.cpo.platform.persistence.LimitSetRepository;
import com.cpo.platform.report.LimitLine;
import com.cpo.platform.report.LimitSheet;

/**
 * Limits management: versioned limit sets per product and operation, drafted, revised and released with
 * who, when and why recorded. A released version is immutable (the database refuses changes too) and is
 * published to the compacted limits topic in the same transaction: if the broker does not acknowledge,
 * the release is rolled back.
 */
@ApplicationScoped
public class LimitService {

    private static final Logger LOG = Logger.getLogger(LimitService.class);

    private final LimitSetRepository sets;
    private final LimitReleases publisher;

    private final Products products;

    private final java.time.Duration backdatingTolerance;
    private final long maxUploadBytes;

    LimitService(LimitSetRepository sets, LimitReleases publisher, Products products, com.cpo.platform.PlatformConfig config) {
        this.sets = sets;
        this.publisher = publisher;
        this.products = products;
        this.backdatingTolerance = config.security().backdatingTolerance();
        this.maxUploadBytes = config.security().maxUploadBytes();
    }

    /** A new draft version of product/operation; refused while another draft exists. */
    @Transactional
    public LimitSetView createDraft(String product, String operation, String author, String reason, List<LimitLine> limits) {
        String op = Operations.parse(operation).name();
        List<LimitLine> checked = check(product, op, limits);
        String id = product + "/" + op;
        sets.draftOf(id).ifPresent(d -> {
            throw new ConflictException("Limit set " + id + " already has a draft, version " + d.getVersion()
                    + "; revise or discard it first.");
        });
        Instant now = Instant.now();
        LimitSetEntity draft = new LimitSetEntity(product, op, sets.highestVersion(id) + 1, author, now, reason);
        sets.persist(draft);
        addLimits(draft, checked);
        sets.persist(new LimitSetAuditEntity(draft, Action.DRAFTED, author, reason, now));
        sets.flush();
        return view(draft);
    }

    /** A new draft from an Excel sheet; a sheet with any error is refused whole, every error listed. */
    @Transactional
    public LimitSetView importDraft(String product, String operation, String author, String reason, InputStream xlsx)
            throws IOException {
        byte[] body = xlsx.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUploadBytes + 1));
        if (body.length > maxUploadBytes) {
            throw new PayloadTooLargeException("A limit workbook is " + maxUploadBytes + " bytes at most "
                    + "(cpo.platform.security.max-upload-bytes); this one is larger. A limit set of 2,000 limits takes about 100 KB.");
        }
        LimitSheet.Parsed parsed = LimitSheet.read(body);
        if (!parsed.errors().isEmpty()) {
            throw new InvalidInputException("The limit sheet was not imported",
                    parsed.errors().stream().map(e -> new InputError(null, e.row(), e.column(), e.text())).toList());
        }
        return createDraft(product, operation, author, reason, parsed.limits());
    }

    /** Replaces the limits of a draft. */
    @Transactional
    public LimitSetView reviseDraft(String product, String operation, int version, String author, String reason,
            List<LimitLine> limits) {
        LimitSetEntity draft = draft(product, operation, version);
        List<LimitLine> checked = check(product, draft.getOperation(), limits);
        sets.deleteLimitsOf(draft);
        addLimits(draft, checked);
        sets.persist(new LimitSetAuditEntity(draft, Action.REVISED, author, reason, Instant.now()));
        sets.flush();
        return view(draft);
    }

    /** Deletes a draft; a released version cannot be deleted. */
    @Transactional
    public void discardDraft(String product, String operation, int version) {
        sets.delete(draft(product, operation, version));
    }

    /**
     * Releases a draft: from then on immutable, and published to the limits topic. A second person releases: whoever
     * drafted or revised the version may not.
     *
     * @param releasedBy the authenticated caller
     * @param effectiveFrom runs starting at or after it are judged by this version; null = now
     * @param backdatingReason why, when {@code effectiveFrom} is earlier than now by more than the configured tolerance
     *        ({@code cpo.platform.security.backdating-tolerance}); required then
     */
    @Transactional
    public LimitSetView release(String product, String operation, int version, String releasedBy, String reason,
            Instant effectiveFrom, String backdatingReason) {
        LimitSetEntity draft = draft(product, operation, version);
        List<String> authors = sets.auditOf(draft).stream()
                .filter(a -> a.getAction() == Action.DRAFTED || a.getAction() == Action.REVISED)
                .map(LimitSetAuditEntity::getActor).distinct().toList();
        if (authors.contains(releasedBy)) {
            throw new NotPermittedException("Four eyes: " + releasedBy + " drafted or revised version " + version + " of "
                    + draft.getLimitSetId() + "; another person with the quality role must release it.");
        }
        Instant now = Instant.now();
        Instant from = effectiveFrom == null ? now : effectiveFrom;
        boolean backdated = from.isBefore(now.minus(backdatingTolerance));
        if (backdated && backdatingReason == null) {
            throw new InvalidRequestException("backdatingReason", "effectiveFrom " + from + " is in the past: runs judged since then "
                    + "keep their verdicts. Say why in backdatingReason, or leave effectiveFrom out to release from now.");
        }
        draft.release(releasedBy, now, from, reason);
        sets.persist(new LimitSetAuditEntity(draft, Action.RELEASED, releasedBy, reason, now)
                .released(from, backdated ? backdatingReason : null));
        sets.flush();
        publisher.publish(event(draft));
        LOG.infof("limit set %s version %d released by %s, effective from %s", draft.getLimitSetId(),
                draft.getVersion(), releasedBy, draft.getEffectiveFrom());
        return view(draft);
    }

    @Transactional
    public LimitSetView get(String product, String operation, int version) {
        return view(find(product, operation, version));
    }

    /** The limits of a version, for export. */
    @Transactional
    public List<LimitLine> limitsOf(String product, String operation, int version) {
        return lines(find(product, operation, version));
    }

    /**
     * A version beside another, channel by channel with the limit that binds each (domain {@link com.cpo.domain.LimitComparison}).
     *
     * @param base the version to compare with; null: the version in force now (for a released version: the latest released
     *        before it; none: every row ADDED)
     */
    public record Comparison(String limitSetId, int channels, LimitSetView candidate, LimitSetView base,
            List<com.cpo.domain.LimitComparison.Row> rows, Map<com.cpo.domain.LimitComparison.Change, Long> changes) {
    }

    @Transactional
    public Comparison compare(String product, String operation, int version, Integer base) {
        LimitSetEntity candidate = find(product, operation, version);
        LimitSetEntity against = base != null ? find(product, operation, base) : replaced(candidate);
        int channels = channels(product, candidate, against);
        List<com.cpo.domain.LimitComparison.Row> rows = com.cpo.domain.LimitComparison.compare(against == null ? null : domain(against),
                domain(candidate), channels);
        Map<com.cpo.domain.LimitComparison.Change, Long> changes = new java.util.EnumMap<>(com.cpo.domain.LimitComparison.Change.class);
        rows.forEach(r -> changes.merge(r.change(), 1L, Long::sum));
        return new Comparison(candidate.getLimitSetId(), channels, summary(candidate), against == null ? null : summary(against), rows, changes);
    }

    /**
     * A version and the one it would replace (the version in force now; for a released version, the one it replaced; null
     * when there is none), as the domain's limit sets: what a what-if judges with.
     */
    public record Candidate(com.cpo.domain.LimitSet candidate, com.cpo.domain.LimitSet replaced, String status) {
    }

    @Transactional
    public Candidate candidate(String product, String operation, int version) {
        LimitSetEntity candidate = find(product, operation, version);
        LimitSetEntity replaced = replaced(candidate);
        return new Candidate(domain(candidate), replaced == null ? null : domain(replaced), candidate.getStatus().name());
    }

    /** The version in force now that a candidate would replace; for a released candidate, the latest released before it. */
    private LimitSetEntity replaced(LimitSetEntity candidate) {
        return sets.allReleased().stream()
                .filter(s -> s.getLimitSetId().equals(candidate.getLimitSetId()) && !s.getEffectiveFrom().isAfter(Instant.now())
                        && s.getVersion() != candidate.getVersion())
                .filter(s -> candidate.getStatus() == LimitSetEntity.Status.DRAFT || s.getVersion() < candidate.getVersion())
                .reduce((a, b) -> b.getVersion() > a.getVersion() ? b : a).orElse(null);
    }

    private int channels(String product, LimitSetEntity candidate, LimitSetEntity against) {
        Integer known = products.channelsOf(product);
        return known != null ? known : Math.max(1, java.util.stream.Stream.of(candidate, against).filter(java.util.Objects::nonNull)
                .flatMap(s -> s.getLimits().stream()).map(l -> l.getChannel() == null ? 1 : l.getChannel()).max(Integer::compare).orElse(1));
    }

    private static com.cpo.domain.LimitSet domain(LimitSetEntity s) {
        return new com.cpo.domain.LimitSet(s.getLimitSetId(), s.getVersion(), s.getEffectiveFrom() == null ? Instant.EPOCH : s.getEffectiveFrom(),
                s.getLimits().stream().map(l -> new com.cpo.domain.Limit(l.getParameter(), l.getChannel(), l.getLowerLimit(), l.getUpperLimit(),
                        l.getUnitOfMeasure())).toList());
    }

    /** The released version in force at {@code at} (highest version whose effectiveFrom is not after it). */
    @Transactional
    public LimitSetView inForce(String product, String operation, Instant at) {
        String id = product + "/" + Operations.parse(operation).name();
        return sets.allReleased().stream()
                .filter(s -> s.getLimitSetId().equals(id) && !s.getEffectiveFrom().isAfter(at))
                .reduce((a, b) -> b.getVersion() > a.getVersion() ? b : a)
                .map(this::view)
                .orElseThrow(() -> new NotFoundException("No version of limit set " + id + " is in force at " + at + "."));
    }

    /** A page of limit sets (without audit), filters null = any. */
    @Transactional
    public Page<LimitSetView> page(String product, String operation, String status, int page, int size) {
        String op = operation == null ? null : Operations.parse(operation).name();
        LimitSetEntity.Status st = null;
        if (status != null) {
            try {
                st = LimitSetEntity.Status.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("status", "Unknown status '" + status + "': expected DRAFT or RELEASED.");
            }
        }
        List<LimitSetView> items = sets.page(product, op, st, page * size, size).stream()
                .map(LimitService::summary).toList();
        return new Page<>(items, page, size, sets.count(product, op, st));
    }

    /**
     * Every released version, as the domain's limit sets, for looking up the limits a run was judged by
     * and the limits of capability figures.
     */
    @Transactional
    public List<com.cpo.domain.LimitSet> released() {
        return sets.allReleased().stream().map(LimitService::domain).toList();
    }

    /**
     * Stores a release read from the limits topic that this service does not have (published by another
     * tool, or by the launcher's seed), so that history and reports know its limits. Known versions,
     * including this service's own releases coming back, are left as they are.
     */
    @Transactional
    public boolean mirror(LimitSet event) {
        String id = event.getLimitSetId();
        if (sets.find(id, event.getVersion()).isPresent()) {
            return false;
        }
        if (sets.draftOf(id).filter(d -> d.getVersion() == event.getVersion()).isPresent()) {
            LOG.warnf("limit set %s version %d was released elsewhere while a draft has that number; not mirrored",
                    id, event.getVersion());
            return false;
        }
        for (Limit l : event.getLimits()) {
            String problem = com.cpo.domain.Limit.problem(l.getParameter(), l.getChannel(), l.getLowerLimit(), l.getUpperLimit());
            if (problem != null) {
                // the analytics app refuses it too: no run is judged by it, so it is not history either
                LOG.errorf("limit set %s version %d from the limits topic is invalid (%s); not mirrored", id, event.getVersion(), problem);
                return false;
            }
        }
        String product = event.getProduct();
        String operation = event.getOperation().name();
        Instant now = Instant.now();
        LimitSetEntity set = new LimitSetEntity(product, operation, event.getVersion(), event.getReleasedBy(), now,
                "released elsewhere, mirrored from the limits topic");
        if (!set.getLimitSetId().equals(id)) {
            LOG.warnf("limit set %s does not match its product and operation (%s); not mirrored", id, set.getLimitSetId());
            return false;
        }
        sets.persist(set);
        int position = 0;
        for (Limit l : event.getLimits()) {
            LimitEntity limit = new LimitEntity(set, position++, l.getParameter(), l.getChannel(), l.getLowerLimit(),
                    l.getUpperLimit(), l.getUnitOfMeasure(), l.getDescription());
            set.getLimits().add(limit);
            sets.persist(limit);
        }
        sets.flush();
        // Released through the same transition as ours, so the immutability triggers apply from here on.
        set.release(event.getReleasedBy(), now, event.getEffectiveFrom(), "released elsewhere, mirrored from the limits topic");
        sets.persist(new LimitSetAuditEntity(set, Action.MIRRORED, event.getReleasedBy(),
                "mirrored from the limits topic", now));
        sets.flush();
        return true;
    }

    private LimitSetEntity find(String product, String operation, int version) {
        String id = product + "/" + Operations.parse(operation).name();
        return sets.find(id, version)
                .orElseThrow(() -> new NotFoundException("Limit set " + id + " has no version " + version + "."));
    }

    /** The draft, locked for this transaction (a concurrent revision and release cannot interleave), or 404/409. */
    private LimitSetEntity draft(String product, String operation, int version) {
        LimitSetEntity set = sets.lock(find(product, operation, version));
        if (set.getStatus() != LimitSetEntity.Status.DRAFT) {
            throw new ConflictException("Limit set " + set.getLimitSetId() + " version " + version
                    + " is released and cannot change; draft a new version instead.");
        }
        return set;
    }

    private void addLimits(LimitSetEntity set, List<LimitLine> limits) {
        int position = 0;
        for (LimitLine l : limits) {
            LimitEntity limit = new LimitEntity(set, position++, l.parameter(), l.channel(), l.lowerLimit(),
                    l.upperLimit(), l.unitOfMeasure(), l.description());
            set.getLimits().add(limit);
            sets.persist(limit);
        }
    }

    /**
     * Checks what Bean Validation cannot, against the domain's parameter catalogue: a known parameter of the operation,
     * its unit, a channel the product has (for a product in {@code cpo.plant.products}), bounds present, finite and
     * ordered, no parameter limited twice per channel. Every problem is listed.
     */
    List<LimitLine> check(String product, String operation, List<LimitLine> limits) {
        if (limits == null || limits.isEmpty()) {
            throw new InvalidInputException("The limits were not accepted", List.of(InputError.ofParameter("limits", "must hold at least one limit")));
        }
        List<ParameterCatalogue.Problem> problems = ParameterCatalogue.check(operation, products.channelsOf(product), limits.stream()
                .map(l -> new ParameterCatalogue.Draft(l.parameter(), l.channel(), l.lowerLimit(), l.upperLimit(), l.unitOfMeasure()))
                .toList());
        if (!problems.isEmpty()) {
            throw new InvalidInputException("The limits were not accepted", problems.stream()
                    .map(p -> InputError.ofParameter("limits[" + p.index() + "]." + p.field(), p.message())).toList());
        }
        return limits;
    }

    private LimitSetView view(LimitSetEntity s) {
        return new LimitSetView(s.getLimitSetId(), s.getProduct(), s.getOperation(), s.getVersion(), s.getStatus().name(),
                s.getCreatedBy(), s.getCreatedAt(), s.getDraftReason(), s.getEffectiveFrom(), s.getReleasedBy(),
                s.getReleasedAt(), s.getReleaseReason(), lines(s),
                sets.auditOf(s).stream().map(a -> new LimitSetView.AuditEntry(a.getAction().name(), a.getActor(),
                        a.getReason(), a.getAt(), a.getEffectiveFrom(), a.getBackdatingReason())).toList());
    }

    private static LimitSetView summary(LimitSetEntity s) {
        return new LimitSetView(s.getLimitSetId(), s.getProduct(), s.getOperation(), s.getVersion(), s.getStatus().name(),
                s.getCreatedBy(), s.getCreatedAt(), s.getDraftReason(), s.getEffectiveFrom(), s.getReleasedBy(),
                s.getReleasedAt(), s.getReleaseReason(), null, null);
    }

    private static List<LimitLine> lines(LimitSetEntity s) {
        return s.getLimits().stream().map(l -> new LimitLine(l.getParameter(), l.getChannel(), l.getLowerLimit(),
                l.getUpperLimit(), l.getUnitOfMeasure(), l.getDescription())).toList();
    }

    private static LimitSet event(LimitSetEntity s) {
        return LimitSet.newBuilder()
                .setLimitSetId(s.getLimitSetId())
                .setVersion(s.getVersion())
                .setProduct(s.getProduct())
                .setOperation(com.cpo.events.Operation.valueOf(s.getOperation()))
                .setEffectiveFrom(s.getEffectiveFrom())
                .setReleasedBy(s.getReleasedBy())
                .setLimits(s.getLimits().stream().map(l -> Limit.newBuilder()
                        .setParameter(l.getParameter())
                        .setChannel(l.getChannel())
                        .setLowerLimit(l.getLowerLimit())
                        .setUpperLimit(l.getUpperLimit())
                        .setUnitOfMeasure(l.getUnitOfMeasure())
                        .setDescription(l.getDescription())
                        .build()).toList())
                .build();
    }
}
