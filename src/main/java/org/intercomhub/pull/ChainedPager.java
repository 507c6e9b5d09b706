package org.intercomhub.pull;

import org.intercomhub.intercom.Page;
import org.intercomhub.intercom.Pager;

import java.util.List;
import java.util.NoSuchElementException;

/** Several listings read one after another as one (data attributes: the contact model, then the company model). */
final class ChainedPager implements Pager {

    private final List<Pager> pagers;
    private int current;

    ChainedPager(List<Pager> pagers) {
        this.pagers = List.copyOf(pagers);
    }

    @Override
    public boolean hasNext() {
        while (current < pagers.size() && !pagers.get(current).hasNext()) {
            current++;
        }
        return current < pagers.size();
    }

    @Override
    public Page next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Page page = pagers.get(current).next();
        boolean last = page.last() && current == pagers.size() - 1;
        // not resumable across pagers: a chain is only used for small full-refresh lists
        return new Page(page.items(), null, last);
    }

    @Override
    public void close() {
        pagers.forEach(Pager::close);
    }
}
