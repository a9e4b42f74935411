package com.cpo.platform.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.cpo.platform.persistence.LotRepository;
import com.cpo.platform.persistence.LotRepository.FailureCount;
import com.cpo.platform.persistence.LotRepository.Hit;
import com.cpo.platform.persistence.LotRepository.LotUnit;
import com.cpo.platform.persistence.LotRepository.OutcomeFilter;
import com.cpo.platform.persistence.LotRepository.UnitOrder;

/** A lot's units and failures, and the search box's answers. */
@ApplicationScoped
public class LotQueryService {

    private final LotRepository lots;

    LotQueryService(LotRepository lots) {
        this.lots = lots;
    }

    /**
     * A page of the lot's units with their outcomes.
     *
     * @throws NotFoundException when no event named the lot
     */
    @Transactional
    public Page<LotUnit> units(String product, String lot, OutcomeFilter outcome, UnitOrder order, int page, int size) {
        requireLot(product, lot);
        return new Page<>(lots.units(product, lot, outcome, order, (long) page * size, size), page, size, lots.countUnits(product, lot, outcome));
    }

    /**
     * The lot's failure Pareto: each check failed (operation, parameter, step) with the runs and units it failed, and
     * INCOMPLETE runs as a reason of their own; the most frequent first.
     */
    @Transactional
    public List<FailureCount> failures(String product, String lot) {
        requireLot(product, lot);
        List<FailureCount> all = new ArrayList<>(lots.failures(product, lot));
        all.addAll(lots.incomplete(product, lot));
        all.sort(Comparator.comparingLong(FailureCount::runs).reversed());
        return all;
    }

    /** Units and lots whose name starts with {@code text}, at most {@code max} of each. */
    @Transactional
    public List<Hit> search(String text, int max) {
        String q = text == null ? "" : text.strip();
        return q.isEmpty() ? List.of() : lots.search(q, max);
    }

    private void requireLot(String product, String lot) {
        if (!lots.exists(product, lot)) {
            throw new NotFoundException("no lot " + lot + " of product " + product + " is known: check both names (the search "
                    + "box on every page finds lots by the start of their name)");
        }
    }
}
