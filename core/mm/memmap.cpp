// The sectioned memmap: untouched sections worked out on read, populated on
// the first write, shared between copies until one writes (memmap.h).
#include "core/base/verify.h"
#include "core/mm/machine.h"

namespace mm {

Memmap::Memmap(const Memmap& other) : m_sections(other.m_sections) {
    for (MemSection& s : other.m_sections)
        s.exclusive = false;
    for (MemSection& s : m_sections)
        s.exclusive = false;
}

Memmap& Memmap::operator=(const Memmap& other) {
    if (this != &other) {
        m_sections = other.m_sections;
        for (MemSection& s : other.m_sections)
            s.exclusive = false;
        for (MemSection& s : m_sections)
            s.exclusive = false;
    }
    return *this;
}

void Memmap::reset(Pfn end) {
    m_sections.assign((end.value() + PAGES_PER_SECTION - 1) >> PFN_SECTION_SHIFT, MemSection{});
}

// An untouched Free section: a head every 2^MAX_PAGE_ORDER frames, linked to
// the next and previous heads, the outer links kept in the section; the
// other frames are the blocks' tails, as boot's release leaves them.
Page Memmap::untouched_page(const MemSection& s, Pfn pfn) {
    Page page;
    page.zone = s.zone;
    if (s.state == MemSection::State::Reserved) {
        page.flags = PG_reserved;
        page.reserve = s.reserve;
        return page;
    }
    const uint64_t block = uint64_t{1} << MAX_PAGE_ORDER;
    const uint64_t offset = pfn.value() & (PAGES_PER_SECTION - 1);
    if (offset % block) return page;
    page.flags = PG_buddy;
    page.order = MAX_PAGE_ORDER;
    const uint32_t p = static_cast<uint32_t>(pfn.value());
    page.prev = offset == 0 ? s.first_prev : static_cast<uint32_t>(p - block);
    page.next =
        offset == PAGES_PER_SECTION - block ? s.last_next : static_cast<uint32_t>(p + block);
    return page;
}

void Memmap::own(MemSection& s, uint64_t nr) {
    MM_VERIFY(s.state != MemSection::State::Absent);
    if (s.state == MemSection::State::Populated) {
        if (s.pages.use_count() > 1) {
            std::shared_ptr<Page[]> copy(new Page[PAGES_PER_SECTION]);
            std::copy(s.pages.get(), s.pages.get() + PAGES_PER_SECTION, copy.get());
            s.pages = std::move(copy);
        }
    } else {
        std::shared_ptr<Page[]> pages(new Page[PAGES_PER_SECTION]);
        const Pfn base{nr << PFN_SECTION_SHIFT};
        for (uint64_t i = 0; i < PAGES_PER_SECTION; ++i)
            pages[i] = untouched_page(s, base + i);
        s.pages = std::move(pages);
        s.state = MemSection::State::Populated;
    }
    s.exclusive = true;
}

void Memmap::set_next(Pfn pfn, uint32_t next) {
    MemSection& s = m_sections[pfn.value() >> PFN_SECTION_SHIFT];
    const uint64_t offset = pfn.value() & (PAGES_PER_SECTION - 1);
    if (s.state == MemSection::State::Free &&
        offset == PAGES_PER_SECTION - (uint64_t{1} << MAX_PAGE_ORDER)) {
        s.last_next = next;
        return;
    }
    mut(pfn).next = next;
}

size_t Memmap::populated_sections() const {
    size_t n = 0;
    for (const MemSection& s : m_sections)
        n += s.state == MemSection::State::Populated ? 1 : 0;
    return n;
}

} // namespace mm
